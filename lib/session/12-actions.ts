import 'server-only';
// 12 · What server actions do to this browser's session: start one at login, end it at logout or
// everywhere, and continue it as a new one (a mode switch, a password change). Each writes or
// clears the cookies; the rows change through 10-sessions.ts and 04-store.ts.
// Next: 13-proxy.ts.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { revokeAllSessions, revokeSessionByToken, type SessionUser } from './04-store';
import type { IssuedSession, RevokeReason, Session } from './05-session';
import { clearSessionCookies, createSession, purgeIfDue, reissueSession, setSessionCookies } from './10-sessions';
import { getClientInfo, getRequestPath, getSession, loginPath } from './11-dal';
import type { SessionMode } from './modes';

/** Login: always a brand-new session id (no fixation); a session this browser already had is revoked. */
export async function startSession(user: SessionUser, mode: SessionMode) {
  const previous = await getSession();
  if (previous) await revokeSessionByToken(previous.tokenHash, 'replaced-by-login');
  setSessionCookies(await cookies(), await createSession(user, mode, await getClientInfo()));
  after(() => purgeIfDue().catch((error) => console.error('session clean-up failed', error)));
}

/** Logout: this browser's session ends, and its cookies go. */
export async function endSession(reason: RevokeReason) {
  const current = await getSession();
  if (current) await revokeSessionByToken(current.tokenHash, reason);
  clearSessionCookies(await cookies());
}

/** "Sign out everywhere": every session of the user ends, this browser's included. */
export async function endAllSessions(current: Session, reason: RevokeReason) {
  await revokeAllSessions(current.user.id, reason);
  clearSessionCookies(await cookies());
}

/**
 * Sets the cookies of a session that continues this browser's. Null (another request re-issued or
 * revoked it a moment earlier) sends the browser to log in; its cookies stay, as they may be the
 * newer session's.
 */
export async function continueSession(issued: IssuedSession | null) {
  if (!issued) redirect(loginPath({ next: await getRequestPath(), reason: 'replaced' }));
  setSessionCookies(await cookies(), issued);
}

/** Continues this browser's session, authorised for a write, in `mode` (the mode switch). */
export async function switchSessionMode(current: Session, mode: SessionMode) {
  await continueSession(await reissueSession(current, mode, await getClientInfo(), 'mode-switch'));
}
