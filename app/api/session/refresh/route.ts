// POST: hybrid mode's explicit refresh. The proxy renews an access token by itself when it is
// nearly expired; this is for a page that wants to renew now (a "Refresh now" button) and shows
// what one exchange does. It rotates even a token that is not due, and the proxy leaves this path
// alone, so one request never rotates twice.
import { NextResponse, type NextRequest } from 'next/server';
import { readCookie } from '@/lib/session/03-cookies';
import { clearsCookies, noticeForRejection } from '@/lib/session/05-session';
import { isSameOrigin, refreshCookieName, refreshSession } from '@/lib/session/09-hybrid';
import { allowedModes, clearSessionCookies, setSessionCookies } from '@/lib/session/10-sessions';

const NO_STORE = { 'Cache-Control': 'no-store' };

export async function POST(request: NextRequest) {
  if (!isSameOrigin(request)) return NextResponse.json({ error: 'Cross-origin request refused' }, { status: 403, headers: NO_STORE });
  const refresh = readCookie(request.headers.get('cookie'), refreshCookieName());
  if (!refresh.present || !allowedModes().includes('hybrid')) {
    return NextResponse.json({ error: 'No refresh token: this browser is not in hybrid mode.' }, { status: 401, headers: NO_STORE });
  }
  const result = await refreshSession(refresh.value);
  if (!result.ok) {
    const response = NextResponse.json(
      { error: 'This session can no longer be refreshed.', reason: noticeForRejection(result) },
      { status: 401, headers: NO_STORE },
    );
    if (clearsCookies(result)) clearSessionCookies(response.cookies);
    return response;
  }
  const response = NextResponse.json({ rotated: result.rotated, sessionExpiresAt: result.issued.expiresAt.toISOString() }, { headers: NO_STORE });
  setSessionCookies(response.cookies, result.issued);
  return response;
}
