import 'server-only';
// Starting and ending a browser's session from a server action: issue or revoke through the
// session module, then write or clear the cookie.
import { cookies } from 'next/headers';
import { after } from 'next/server';
import type { SessionMode } from '@/lib/env';
import { getOptionalSession } from '@/lib/dal';
import { getClientInfo } from '@/lib/request-info';
import { createSession, purgeSessionsIfDue, revokeSessionByTokenHash, type IssuedSession, type RevokeReason, type SessionUser } from '@/lib/session';
import { getExpiredSessionCookieOptions, getSessionCookieName, getSessionCookieOptions } from '@/lib/session/cookie';

export async function setSessionCookie(issued: IssuedSession) {
  (await cookies()).set(getSessionCookieName(), issued.token, getSessionCookieOptions(issued.expiresAt));
}

export async function clearSessionCookie() {
  (await cookies()).set(getSessionCookieName(), '', getExpiredSessionCookieOptions());
}

/** Login: always a brand-new session id (no fixation); a session this browser already had is revoked. */
export async function startSession(user: SessionUser, mode: SessionMode) {
  const previous = await getOptionalSession();
  if (previous) await revokeSessionByTokenHash(previous.tokenHash, 'replaced-by-login');
  await setSessionCookie(await createSession(user, mode, await getClientInfo()));
  after(() => purgeSessionsIfDue().catch((error) => console.error('session purge failed', error)));
}

export async function endSession(reason: RevokeReason) {
  const current = await getOptionalSession();
  if (current) await revokeSessionByTokenHash(current.tokenHash, reason);
  await clearSessionCookie();
}
