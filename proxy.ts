// Runs before every page, and before an API route only when hybrid may have to renew its token:
// 1. Refuses state-changing requests from another origin with 403, before Next.js decodes a
//    server-action body (Next would refuse them too, but only after failing with a 500), and
//    server-action bodies Next.js could not decode with a 400 or 413 (lib/http/action-guard.ts).
//    A login the throttle would refuse for the whole server (its budget of failed logins spent, or
//    no room for password work) is answered 429 or 503 here, before anything is decoded or
//    rendered (lib/session/hardening/login-gate.ts).
// 2. The session's part (lib/session/12-proxy.ts): the optimistic check, hybrid's renewal, the
//    login redirect of protected pages, the page's path for the data-access layer. An unreachable
//    database during a renewal answers 503: the session could not be checked, which is no refusal.
// 3. For pages, a per-request nonce for the Content-Security-Policy, which Next.js puts on its own
//    scripts. A route handler renders no script: next.config.js gives /api/* a static policy.
// Why the API is left out otherwise: invoking a proxy at all costs a Next.js request about a third
// of its throughput (docs/benchmark.md), and a route handler needs nothing from it. Every API route
// that changes state checks the Origin itself (isSameOrigin), and reads its session through the
// data-access layer, which refuses what the proxy would have.
import { NextResponse, type NextRequest } from 'next/server';
import { refuseMalformedAction } from '@/lib/http/action-guard';
import { refuseFloodedLogin } from '@/lib/session/hardening/login-gate';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '@/lib/db/unavailable';
import { refuseCrossOrigin } from '@/lib/http/request-origin';
import { contentSecurityPolicy } from '@/lib/http/security-headers';
import { sessionProxy } from '@/lib/session/12-proxy';

const PROTECTED = ['/dashboard', '/devices', '/settings'];

export async function proxy(request: NextRequest) {
  const refusal = refuseCrossOrigin(request) ?? (await refuseFloodedLogin(request)) ?? (await refuseMalformedAction(request));
  if (refusal) return refusal;
  const page = !request.nextUrl.pathname.startsWith('/api/');
  const csp = page ? contentSecurityPolicy(Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')) : null;
  let response: NextResponse;
  try {
    // Next.js reads the nonce from the request's policy and stamps it on the scripts it renders.
    response = await sessionProxy(request, { protectedPaths: PROTECTED, forward: csp ? { 'content-security-policy': csp } : {} });
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    return new NextResponse('The session store is unreachable; try again in a few seconds.', {
      status: 503,
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (csp) response.headers.set('Content-Security-Policy', csp);
  return response;
}

// A matcher is fixed at build time (and must be literal), so the refresh cookie is matched under
// both its names: with COOKIE_SECURE (the production default) it carries the __Host- prefix. A
// header match, not `type: 'cookie'`: Next would parse every API request's cookies to decide, which
// cost a signed-in request about 3 % of its throughput (docs/benchmark.md).
export const config = {
  matcher: [
    '/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)',
    { source: '/api/:path*', has: [{ type: 'header', key: 'cookie', value: '(?:.*[;\\s])?(?:__Host-)?refresh=.*' }] },
  ],
};
