// The optimistic check, before any page renders: is there a session cookie whose signature and
// claims hold? No database here (a revoked stateful session still passes; the data-access layer
// in lib/dal.ts catches it). Anonymous visitors of protected pages go to /login?next=…, and a
// cookie that fails verification is cleared on any page.
import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/dal-headers';
import { getExpiredSessionCookieOptions, getSessionCookieName, readSessionCookie } from '@/lib/session/cookie';
import { verifyToken } from '@/lib/session/token';

const PROTECTED = ['/dashboard', '/devices', '/settings'];

function isProtected(pathname: string) {
  return PROTECTED.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const cookie = readSessionCookie(request.headers.get('cookie'));
  const result = cookie.present ? await verifyToken(cookie.token) : null;
  const valid = result?.ok === true;

  let response: NextResponse;
  if (!valid && isProtected(pathname)) {
    const login = new URL('/login', request.url);
    login.search = new URLSearchParams({ next: `${pathname}${search}`, ...(result && !result.ok ? { reason: result.reason === 'expired' ? 'expired' : 'invalid' } : {}) }).toString();
    response = NextResponse.redirect(login);
  } else {
    const forwarded = new Headers(request.headers);
    forwarded.set(PATHNAME_HEADER, `${pathname}${search}`);
    response = NextResponse.next({ request: { headers: forwarded } });
  }
  if (cookie.present && !valid) response.cookies.set(getSessionCookieName(), '', getExpiredSessionCookieOptions());
  if (valid) response.headers.set('Cache-Control', 'no-store');
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
