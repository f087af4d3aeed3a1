// POST: hybrid mode's explicit refresh. The proxy renews an access token by itself when it is
// nearly expired; this is for a page that wants to renew now (the dashboard's "Refresh now") and
// shows what one exchange does. It rotates even a token that is not due, and the proxy leaves
// this path alone, so one request never rotates twice.
import { NextResponse, type NextRequest } from 'next/server';
import { answeringOutages, isSameOrigin, jsonError, NO_STORE } from '@/lib/http/api';
import { clearSessionCookie, readRefreshCookieFromHeader, setSessionCookie } from '@/lib/session/cookie';
import { refreshHybridSession } from '@/lib/session/hybrid';
import { clearsCookies, noticeForRejection } from '@/lib/session/reasons';

export const POST = answeringOutages(async (request: NextRequest) => {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const refresh = readRefreshCookieFromHeader(request.headers.get('cookie'));
  if (!refresh.present) return jsonError(401, 'No refresh token: this browser is not in hybrid mode.');
  const result = await refreshHybridSession(refresh.token);
  if (!result.ok) {
    const response = NextResponse.json(
      { error: 'This session can no longer be refreshed.', reason: noticeForRejection(result) },
      { status: 401, headers: NO_STORE },
    );
    if (clearsCookies(result)) clearSessionCookie(response.cookies);
    return response;
  }
  const { issued, rotated } = result;
  const response = NextResponse.json({ rotated, sessionExpiresAt: issued.expiresAt.toISOString() }, { headers: NO_STORE });
  setSessionCookie(response.cookies, issued);
  return response;
});
