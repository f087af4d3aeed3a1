import 'server-only';
// Helpers for route handlers, which get none of the protections Next gives server actions:
// a same-origin check for state-changing requests, and JSON errors that never leak details.
import { headers } from 'next/headers';
import { NextResponse } from 'next/server';
import { clearsCookies, noticeForRejection, type Refusal, type Session } from '@/lib/session/05-session';
import { authorizeWrite, clearSessionCookies } from '@/lib/session/10-sessions';
import { checkRequest } from '@/lib/session/11-dal';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '@/lib/db/unavailable';

export { isSameOrigin } from '@/lib/session/09-hybrid';

export const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonError(status: number, message: string) {
  return NextResponse.json({ error: message }, { status, headers: NO_STORE });
}

/**
 * 401 for a refused session. A cookie that was sent is cleared, and the body names the login
 * page's notice, so a page's script can send its browser to /login with the right reason.
 */
function refuseSession(cookieSent: boolean, refusal: Refusal, message: string) {
  const response = NextResponse.json({ error: message, reason: noticeForRejection(refusal) }, { status: 401, headers: NO_STORE });
  if (cookieSent && clearsCookies(refusal)) clearSessionCookies(response.cookies);
  return response;
}

/**
 * The caller's session, or a 401 response to return as is. React's cache() does not memoise in
 * route handlers, so a handler must check once and pass the session along. A handler that
 * changes state asks for `write`: the session's row must then be alive too.
 */
export async function requireApiSession(options: { write?: boolean } = {}): Promise<{ session: Session } | { response: NextResponse }> {
  const check = await checkRequest('route');
  if (!check.ok) return { response: refuseSession(check.present, check, 'Not signed in') };
  if (!options.write) return { session: check.session };
  const confirmed = await authorizeWrite(check.session, (await headers()).get('cookie'));
  if (!confirmed.ok)
    return { response: refuseSession(check.present, confirmed, 'This session was signed out; it can no longer change anything. Log in again.') };
  return { session: confirmed.session };
}

/**
 * Wraps a route handler so an unreachable database answers 503 JSON with Retry-After, never a
 * 500, and never a 401: the session was not refused, it could not be checked. The cookie stays.
 */
export function answeringOutages<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      return NextResponse.json(
        { error: 'The session store is unreachable; try again in a few seconds.', reason: 'store-unavailable' },
        { status: 503, headers: { ...NO_STORE, 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) } },
      );
    }
  };
}
