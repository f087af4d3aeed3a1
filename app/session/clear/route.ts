// Where the data-access layer sends a browser whose session the server rejected: clears the
// cookie (a page cannot) and goes on to /login with a notice. A GET here cannot log anyone out:
// if the cookie is still valid, nothing is cleared.
import { NextResponse, type NextRequest } from 'next/server';
import { getSessionCheck } from '@/lib/dal';
import { noticeText } from '@/lib/notices';
import { safeNextPath } from '@/lib/safe-redirect';
import { getExpiredSessionCookieOptions, getSessionCookieName } from '@/lib/session/cookie';

export async function GET(request: NextRequest) {
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const check = await getSessionCheck();
  if (check.ok) return NextResponse.redirect(new URL(next, request.url), 303);
  const reason = request.nextUrl.searchParams.get('reason');
  const login = new URL('/login', request.url);
  login.searchParams.set('next', next);
  if (noticeText(reason)) login.searchParams.set('reason', reason as string);
  const response = NextResponse.redirect(login, 303);
  response.cookies.set(getSessionCookieName(), '', getExpiredSessionCookieOptions());
  response.headers.set('Cache-Control', 'no-store');
  return response;
}
