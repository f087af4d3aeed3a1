// Where the data-access layer sends a browser whose session a page refused (lib/session/11-dal.ts):
// a page cannot clear a cookie, and a response to a request that carried an old cookie must not
// clear a newer one. So this looks again, at the cookies the browser holds now. Still refused: the
// cookies are cleared (unless the refusal says a newer session replaced them) and the browser goes
// to /login with the notice. Accepted now: back to where it came from. So a GET here cannot log
// anyone out. Locations are relative, so the browser stays on the origin it used.
import { NextResponse, type NextRequest } from 'next/server';
import { clearsCookies, isNotice } from '@/lib/session/05-session';
import { clearSessionCookies } from '@/lib/session/10-sessions';
import { checkRequest, loginPath, safeNextPath } from '@/lib/session/11-dal';

export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  const next = safeNextPath(searchParams.get('next'));
  const result = await checkRequest('route');
  const reason = searchParams.get('reason');
  const location = result.ok ? next : loginPath({ next, reason: isNotice(reason) ? reason : undefined });
  const response = new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
  if (!result.ok && clearsCookies(result)) clearSessionCookies(response.cookies);
  return response;
}
