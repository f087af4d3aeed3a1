// Where a request comes from. A state-changing request (any method but GET, HEAD, OPTIONS) must
// come from this origin: browsers send Origin with every POST, so a foreign or "null" Origin is
// a cross-site request and gets a plain 403. A request with no Origin is let through only when
// the browser marks it same-origin (Sec-Fetch-Site); anything else that omits both is no browser
// of this app, and has no business posting to its pages.
// Route handlers (lib/http/api.ts) are stricter still: their callers are this app's own scripts, whose
// fetch always sends Origin, so they require it.
import type { NextRequest, NextResponse } from 'next/server';
import { plainRefusal } from './refusal';
import { getEnv } from '@/lib/env';
import { forwardedEntry } from '@/lib/session/client-address';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The host the browser addressed. Behind a reverse proxy that rewrites Host (nginx's default), the
 * browser's host arrives in X-Forwarded-Host, which is believed only with TRUST_PROXY, like
 * X-Forwarded-For, and read the same way: any client can send it.
 */
function requestHost(request: Request) {
  return forwardedEntry(request.headers.get('x-forwarded-host'), getEnv().TRUST_PROXY) || request.headers.get('host');
}

export function isSameOrigin(request: Request) {
  const origin = request.headers.get('origin');
  const host = requestHost(request);
  if (!origin || !host || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}

function isCrossSite(request: Request) {
  if (request.headers.has('origin')) return !isSameOrigin(request);
  return request.headers.get('sec-fetch-site') !== 'same-origin';
}

/** A 403 for a state-changing request from elsewhere, or null to let it through. */
export function refuseCrossOrigin(request: NextRequest): NextResponse | null {
  if (SAFE_METHODS.has(request.method) || !isCrossSite(request)) return null;
  return plainRefusal(403, 'Cross-origin request refused.');
}
