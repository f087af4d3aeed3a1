// 13 · The proxy's part (proxy.ts runs it before every page and route, with no database but a
// hybrid refresh): the optimistic check. Is there a session cookie whose signature and claims
// hold? A signed-out stateful session still passes; the data-access layer catches it. Anonymous
// visitors of protected pages go to /login?next=…, and a cookie that fails verification is
// cleared on a page load. A mode may renew the token first (hybrid: an access token that has
// expired, or will soon, is exchanged with the refresh cookie), and the request is passed on with
// the new token, so the page renders signed in with no extra round trip. A prefetch never renews:
// its response is the likeliest to be dropped. It gets a 204 with no content instead, which the
// router does not cache, and the navigation itself renews.
// Next: 14-accounts.ts.
import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER, readCookie, sessionCookieName, cookieName } from './03-cookies';
import { clearsCookies, noticeForRejection, type Renewal } from './05-session';
import { clearSessionCookies, renewalFor, setSessionCookies, verifySessionToken } from './10-sessions';

/**
 * A prefetch: Next's router (next.config.js keeps its headers visible to the proxy) or the
 * browser's own (<link rel=prefetch>, speculation rules).
 */
function isPrefetch(headers: Headers) {
  return headers.has('next-router-prefetch') || headers.get('purpose') === 'prefetch' || (headers.get('sec-purpose') ?? '').includes('prefetch');
}

/** The query as the page sees it: without the router's cache-busting parameter. */
function pageSearch(url: URL) {
  const params = new URLSearchParams(url.searchParams);
  params.delete('_rsc');
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The Cookie header with these values in place of the old ones: what the page behind the proxy reads. */
function withCookies(cookieHeader: string | null, values: Record<string, string>) {
  const kept = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !Object.hasOwn(values, part.slice(0, part.indexOf('='))));
  return [...kept, ...Object.entries(values).map(([name, value]) => `${name}=${value}`)].join('; ');
}

export type ProxyOptions = {
  /** Paths (and everything below them) that need a session. */
  protectedPaths: readonly string[];
  /** More request headers to hand the page (a CSP nonce, say): set here, never taken from the client. */
  forward?: Record<string, string>;
};

export async function sessionProxy(request: NextRequest, { protectedPaths, forward = {} }: ProxyOptions): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  let cookieHeader = request.headers.get('cookie');
  const cookie = readCookie(cookieHeader, sessionCookieName());
  const checked = cookie.present ? await verifySessionToken(cookie.value) : null;
  const renew = renewalFor({ pathname, cookieHeader }, checked);
  if (renew && isPrefetch(request.headers) && !checked?.ok) return new NextResponse(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  let renewal: Renewal | null = null;
  if (renew && !isPrefetch(request.headers)) {
    renewal = await renew();
    if (renewal.ok) {
      const { token, cookies = {} } = renewal.issued;
      const renamed = Object.fromEntries(Object.entries(cookies).map(([name, value]) => [cookieName(name), value]));
      cookieHeader = withCookies(cookieHeader, { [sessionCookieName()]: token, ...renamed });
    }
  }
  const result = renewal ?? checked;
  const valid = result?.ok === true;
  const internal = [PATHNAME_HEADER, ...Object.keys(forward)];

  let response: NextResponse;
  if (!valid && protectedPaths.some((path) => pathname === path || pathname.startsWith(`${path}/`))) {
    // Built on request.url, then made relative by Next.js, so the browser stays on its own origin.
    const login = new URL('/login', request.url);
    const query = new URLSearchParams({ next: `${pathname}${pageSearch(request.nextUrl)}` });
    if (result && !result.ok) query.set('reason', noticeForRejection(result));
    login.search = query.toString();
    response = NextResponse.redirect(login);
  } else if (pathname.startsWith('/api/') && !renewal?.ok && !internal.some((name) => request.headers.has(name))) {
    // A route handler needs no path, and nothing here changed the request: pass it on as it came.
    // Handing Next.js a new set of headers makes it copy every one, the session cookie among them.
    response = NextResponse.next();
  } else {
    const headers = new Headers(request.headers);
    headers.set(PATHNAME_HEADER, `${pathname}${pageSearch(request.nextUrl)}`);
    if (cookieHeader !== null) headers.set('cookie', cookieHeader);
    for (const [name, value] of Object.entries(forward)) headers.set(name, value);
    response = NextResponse.next({ request: { headers } });
  }
  // Only a page load clears a cookie: a fetch of the router's that cleared an expired cookie in the
  // background would rob the real navigation of its notice.
  if (renewal?.ok) setSessionCookies(response.cookies, renewal.issued);
  else if (result && !result.ok && clearsCookies(result) && request.headers.get('sec-fetch-dest') !== 'empty') clearSessionCookies(response.cookies);
  if (valid) response.headers.set('Cache-Control', 'no-store');
  return response;
}
