// 12 · The proxy's part (hybrid's; optional for the other modes, as in Next.js's guide): proxy.ts
// runs it before every page and route, with no database but a hybrid refresh. The optimistic
// check: is there a session cookie whose signature and claims hold? A signed-out stateful session
// still passes; the data-access layer catches it. Anonymous
// visitors of protected pages go to /login?next=…, and a cookie that fails verification is
// cleared on a page load. A mode may renew the token first (hybrid), and the request is passed on
// with the new token, so the page renders signed in with no extra round trip.
// The end. Beside the core: accounts.ts (users and passwords), reissue.ts (mode switch, password
// change), housekeeping.ts, the hardening add-ons (hardening/), and the copy manifest (copy-manifest.json).
import { NextResponse, type NextRequest } from 'next/server';
import type { TokenVerifier } from './02-tokens';
import { PATHNAME_HEADER, readCookie, sessionCookieName } from './03-cookies';
import { clearsCookies, noticeForRejection, type IssuedSession, type Mode, type Refusal } from './05-session';
import { allowedModes, clearSessionCookies, setSessionCookies, verifySessionToken } from './10-sessions';
import { MODES } from './modes';

/** A renewal (hybrid's): the new session, and the Cookie header the page behind the proxy reads. */
type Renewal = { ok: true; issued: IssuedSession; cookieHeader: string } | Refusal;

/** A mode that renews its token here, before the page sees it; 'no-content' answers a prefetch that must not renew. */
export type RenewingMode = Mode & {
  renew(request: NextRequest, checked: Awaited<ReturnType<TokenVerifier>> | null): Renewal | 'no-content' | null | Promise<Renewal>;
};

/** The page's path and query as the page sees them: without the router's cache-busting parameter. */
function pagePath({ pathname, search, searchParams }: URL) {
  if (!searchParams.has('_rsc')) return `${pathname}${search}`;
  const query = new URLSearchParams(searchParams);
  query.delete('_rsc');
  return `${pathname}${query.size ? `?${query}` : ''}`;
}

export type ProxyOptions = {
  /** Paths (and everything below them) that need a session. */
  protectedPaths: readonly string[];
  /** More request headers to hand the page (a CSP nonce, say): set here, never taken from the client. */
  forward?: Record<string, string>;
};

export async function sessionProxy(request: NextRequest, { protectedPaths, forward = {} }: ProxyOptions): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const cookie = readCookie(request.headers.get('cookie'), sessionCookieName());
  const checked = cookie.present ? await verifySessionToken(cookie.value) : null;
  // A mode may renew the token before the page sees it (hybrid, when its access token is due).
  let renewal: Renewal | 'no-content' | null = null;
  for (const mode of allowedModes()) {
    const pending: ReturnType<RenewingMode['renew']> | undefined = renewal ? null : (MODES[mode] as Partial<RenewingMode>).renew?.(request, checked);
    if (pending) renewal = pending instanceof Promise ? await pending : pending;
  }
  if (renewal === 'no-content') return new NextResponse(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  const result = renewal ?? checked;

  let response: NextResponse;
  if (!result?.ok && protectedPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
    // Built on request.url, then made relative by Next.js, so the browser stays on its own origin.
    const login = new URL('/login', request.url);
    login.search = new URLSearchParams({ next: pagePath(request.nextUrl), ...(result && { reason: noticeForRejection(result) }) }).toString();
    response = NextResponse.redirect(login);
  } else if (pathname.startsWith('/api/') && !renewal?.ok && ![PATHNAME_HEADER, ...Object.keys(forward)].some((name) => request.headers.has(name))) {
    // A route handler needs no path, and nothing here changed the request: pass it on as it came.
    // Handing Next.js a new set of headers makes it copy every one, the session cookie among them.
    response = NextResponse.next();
  } else {
    const headers = new Headers(request.headers);
    headers.set(PATHNAME_HEADER, pagePath(request.nextUrl));
    if (renewal?.ok) headers.set('cookie', renewal.cookieHeader);
    for (const [name, value] of Object.entries(forward)) headers.set(name, value);
    response = NextResponse.next({ request: { headers } });
  }
  // Only a page load clears a cookie: a fetch of the router's that cleared an expired cookie in the
  // background would rob the real navigation of its notice.
  if (renewal?.ok) setSessionCookies(response.cookies, renewal.issued);
  else if (result && !result.ok && clearsCookies(result) && request.headers.get('sec-fetch-dest') !== 'empty') clearSessionCookies(response.cookies);
  if (result?.ok) response.headers.set('Cache-Control', 'no-store');
  return response;
}
