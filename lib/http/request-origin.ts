// Where a request comes from. A state-changing request (any method but GET, HEAD, OPTIONS) must
// come from this origin: browsers send Origin with every POST, so a foreign or "null" Origin is
// a cross-site request and gets a plain 403. A request with no Origin is let through only when
// the browser marks it same-origin (Sec-Fetch-Site); anything else that omits both is no browser
// of this app, and has no business posting to its pages.
// Route handlers are stricter still (isSameOrigin, lib/session/03-cookies.ts): their callers are
// this app's own scripts, whose fetch always sends Origin, so they require it.
import type { NextRequest, NextResponse } from 'next/server';
import { plainRefusal } from './refusal';
import { isSameOrigin } from '@/lib/session/09-hybrid';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isCrossSite(request: Request) {
  if (request.headers.has('origin')) return !isSameOrigin(request);
  return request.headers.get('sec-fetch-site') !== 'same-origin';
}

/** A 403 for a state-changing request from elsewhere, or null to let it through. */
export function refuseCrossOrigin(request: NextRequest): NextResponse | null {
  if (SAFE_METHODS.has(request.method) || !isCrossSite(request)) return null;
  return plainRefusal(403, 'Cross-origin request refused.');
}
