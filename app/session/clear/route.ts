// Where the data-access layer sends a browser whose session the server rejected: clears the
// cookie (a page cannot) and goes on to /login with a notice. A GET here cannot log anyone out:
// if the cookie is still valid, nothing is cleared. Locations are relative, so the browser stays
// on the origin it used (request.url carries the address the server bound to, such as 0.0.0.0).
import { NextResponse, type NextRequest } from 'next/server';
import { getSessionCheck } from '@/lib/session/dal';
import { isNotice } from '@/lib/session/reasons';
import { loginPath, safeNextPath } from '@/lib/session/safe-redirect';
import { clearSessionCookie } from '@/lib/session/cookie';

function seeOther(location: string) {
  return new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

export async function GET(request: NextRequest) {
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const check = await getSessionCheck();
  if (check.ok) return seeOther(next);
  const reason = request.nextUrl.searchParams.get('reason');
  const response = seeOther(loginPath({ next, reason: isNotice(reason) ? reason : undefined }));
  clearSessionCookie(response.cookies);
  return response;
}
