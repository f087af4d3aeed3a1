// Runs before every page and route, on the Node.js runtime, with no database:
// 1. Refuses state-changing requests from another origin with 403, before Next.js decodes a
//    server-action body (Next would refuse them too, but only after failing with a 500), and
//    server-action bodies Next.js could not decode with a 400 or 413 (lib/http/action-guard.ts).
// 2. The optimistic session check: is there a session cookie whose signature and claims hold?
//    A revoked stateful session still passes; the data-access layer in lib/session/dal.ts catches it.
//    A hybrid access token that has expired, or will within HYBRID_REFRESH_LEEWAY_SECONDS, is
//    renewed here with the refresh cookie (lib/session/hybrid.ts): the proxy is where Next.js lets
//    any request write cookies, and the request it renews is passed on with the new token, so the
//    page renders signed in, with no extra round trip. That is the only database work done here.
//    A prefetch never renews: its response is the likeliest to be dropped. It gets a 204 with no
//    content instead, which the router does not cache, and the navigation itself renews.
//    A token that passes is remembered (lib/session/token-cache.ts), so the data-access layer's
//    check of the same request finds it verified: one verification per request, and no header
//    that a client could forge to say so.
//    Anonymous visitors of protected pages go to /login?next=…, and a cookie that fails
//    verification is cleared on any page load.
// 3. A per-request nonce for the Content-Security-Policy, which Next.js puts on its own scripts.
import { NextResponse, type NextRequest } from 'next/server';
import { refuseMalformedAction } from '@/lib/http/action-guard';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '@/lib/db/unavailable';
import { PATHNAME_HEADER } from '@/lib/session/dal-headers';
import { clearsCookies, noticeForRejection } from '@/lib/session/reasons';
import { refuseCrossOrigin } from '@/lib/http/request-origin';
import { contentSecurityPolicy } from '@/lib/http/security-headers';
import {
  clearSessionCookie,
  getRefreshCookieName,
  getSessionCookieName,
  readRefreshCookieFromHeader,
  readSessionCookieFromHeader,
  setSessionCookie,
  withCookieValue,
} from '@/lib/session/cookie';
import { isAccessTokenDue, refreshHybridSession, type RefreshResult } from '@/lib/session/hybrid';
import { verifyTokenLoadingKeys, type TokenResult } from '@/lib/session/token';

const PROTECTED = ['/dashboard', '/devices', '/settings'];
/** Headers the proxy hands the app; a client that sends one itself never gets it through. */
const INTERNAL_REQUEST_HEADERS = [PATHNAME_HEADER, 'content-security-policy'];
/** Rotates on its own (app/api/session/refresh): renewing here too would rotate twice in one request. */
const EXPLICIT_REFRESH_PATH = '/api/session/refresh';

function isProtected(pathname: string) {
  return PROTECTED.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * A prefetch: Next's router (next.config.js keeps its headers visible here) or the browser's own
 * (<link rel=prefetch>, speculation rules).
 */
function isPrefetch(headers: Headers) {
  return headers.has('next-router-prefetch') || headers.get('purpose') === 'prefetch' || (headers.get('sec-purpose') ?? '').includes('prefetch');
}

/** The query as the page sees it: without the router's cache-busting parameter. */
function pageSearch(url: URL) {
  if (!url.searchParams.has('_rsc')) return url.search;
  const params = new URLSearchParams(url.searchParams);
  params.delete('_rsc');
  const query = params.toString();
  return query ? `?${query}` : '';
}

export async function proxy(request: NextRequest) {
  const refusal = refuseCrossOrigin(request) ?? (await refuseMalformedAction(request));
  if (refusal) return refusal;

  const { pathname } = request.nextUrl;
  const search = pageSearch(request.nextUrl);
  let cookieHeader = request.headers.get('cookie');
  const cookie = readSessionCookieFromHeader(cookieHeader);
  let checked: TokenResult | null;
  let renewal: RefreshResult | null = null;
  try {
    // A kid this process does not know reloads the key set: a query too.
    checked = cookie.present ? await verifyTokenLoadingKeys(cookie.token) : null;
    const refresh = renewable(pathname, cookieHeader, checked);
    if (refresh && isPrefetch(request.headers)) {
      if (!checked?.ok) return new NextResponse(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
    } else if (refresh) {
      renewal = await refreshHybridSession(refresh.token);
    }
  } catch (error) {
    // The session could not be checked, which is not a refusal: the cookies stay.
    if (!isStoreUnavailable(error)) throw error;
    return new NextResponse('The session store is unreachable; try again in a few seconds.', {
      status: 503,
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (renewal?.ok) {
    cookieHeader = withCookieValue(
      withCookieValue(cookieHeader, getSessionCookieName(), renewal.issued.token),
      getRefreshCookieName(),
      renewal.issued.refreshToken,
    );
  }
  const result = renewal ?? checked;
  const valid = result?.ok === true;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce);

  let response: NextResponse;
  if (!valid && isProtected(pathname)) {
    // Built on request.url, then made relative by Next.js, so the browser stays on its own origin.
    const login = new URL('/login', request.url);
    login.search = new URLSearchParams({ next: `${pathname}${search}`, ...(result && !result.ok ? { reason: noticeForRejection(result) } : {}) }).toString();
    response = NextResponse.redirect(login);
  } else if (pathname.startsWith('/api/') && !renewal?.ok && !INTERNAL_REQUEST_HEADERS.some((name) => request.headers.has(name))) {
    // A route handler needs no path or nonce, and nothing here changed the request: pass it on
    // as it came. Handing Next.js a new set of headers makes it copy every one of them, the
    // session cookie among them, which cost a signed-in API request more than its session check.
    response = NextResponse.next();
  } else {
    const forwarded = new Headers(request.headers);
    forwarded.set(PATHNAME_HEADER, `${pathname}${search}`);
    if (cookieHeader !== null) forwarded.set('cookie', cookieHeader);
    // Next.js reads the nonce from the request's policy and stamps it on the scripts it renders.
    forwarded.set('content-security-policy', csp);
    response = NextResponse.next({ request: { headers: forwarded } });
  }
  response.headers.set('Content-Security-Policy', csp);
  // Only a page load clears the cookie. The router's own fetches (Sec-Fetch-Dest: empty; Next hides
  // its prefetch headers from the proxy) must not change the browser's state: a link prefetched in
  // the background that cleared an expired cookie would rob the real navigation of its notice.
  const routerFetch = request.headers.get('sec-fetch-dest') === 'empty';
  if (renewal?.ok) setSessionCookie(response.cookies, renewal.issued);
  else if (result && !result.ok && clearsCookies(result) && !routerFetch) clearSessionCookie(response.cookies);
  if (valid) response.headers.set('Cache-Control', 'no-store');
  return response;
}

/**
 * Hybrid: the refresh cookie to exchange, unless the access token is valid and not yet due.
 * Whatever is wrong with the access token (missing, expired, signed by a key no longer published),
 * the refresh token is the credential, and the exchange checks it against its row. Null when there
 * is nothing to renew.
 */
function renewable(pathname: string, cookieHeader: string | null, checked: TokenResult | null) {
  const refresh = readRefreshCookieFromHeader(cookieHeader);
  if (!refresh.present || pathname === EXPLICIT_REFRESH_PATH) return null;
  const fine = checked?.ok && (checked.token.mode !== 'hybrid' || !isAccessTokenDue(checked.token.payload.exp));
  return fine ? null : refresh;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
