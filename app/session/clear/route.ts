// Where the data-access layer sends a browser whose session a page refused (lib/session/11-dal.ts):
// a page cannot clear a cookie, and a response to a request that carried an old cookie must not
// clear a newer one. So this looks again, at the cookies the browser holds now. Still refused: the
// cookies are cleared (unless the refusal says a newer session replaced them) and the browser goes
// to /login with the notice. Accepted now: back to where it came from. So a GET here cannot log
// anyone out. Locations are relative, so the browser stays on the origin it used.
import { NextResponse, type NextRequest } from 'next/server';
import { clearsCookies, isNotice, type VerifyResult } from '@/lib/session/05-session';
import { clearSessionCookies } from '@/lib/session/10-sessions';
import { checkRouteRequest, loginPath, safeNextPath } from '@/lib/session/11-dal';

function seeOther(location: string) {
  return new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

export async function GET(request: NextRequest) {
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const result: VerifyResult = await checkRouteRequest();
  if (result.ok) return seeOther(next);
  const reason = request.nextUrl.searchParams.get('reason');
  const response = seeOther(loginPath({ next, reason: isNotice(reason) ? reason : undefined }));
  if (clearsCookies(result)) clearSessionCookies(response.cookies);
  return response;
}
