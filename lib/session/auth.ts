import 'server-only';
// Starting, confirming and ending a browser's session from a server action: issue or revoke
// through the session module, then write or clear the cookie.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import type { SessionMode } from '@/lib/session/modes';
import { getOptionalSession, getRequestPath, getSessionCheck } from '@/lib/session/dal';
import { clearsCookies, noticeForRejection } from '@/lib/session/reasons';
import { getClientInfo } from '@/lib/session/request-info';
import { loginPath } from '@/lib/session/safe-redirect';
import {
  confirmSessionForWrite,
  createSession,
  purgeSessionsIfDue,
  reissueSession,
  revokeAllSessions,
  revokeCurrentSession,
  type IssuedSession,
  type RevokeReason,
  type Session,
  type SessionUser,
  type VerifyResult,
} from '@/lib/session';
import { clearSessionCookie, readRefreshCookieFromHeader, setSessionCookie } from '@/lib/session/cookie';
import { getEnv } from '@/lib/env';
import { beforePasswordCheck, refundPasswordFailure, withPasswordWork, type Throttled } from '@/lib/session/throttle';
import { verifyUserPassword } from '@/lib/session/users';

/**
 * The session a server action may act with ("stateless for reads, the row for writes"), or null
 * for a visitor with no session cookie. A session whose token or row is refused ends right here:
 * its cookie is cleared and the browser goes to /login with the reason, so a tab left open after
 * its session ended lands on the login page instead of breaking.
 */
export async function getActingSession(): Promise<Session | null> {
  const check = await getSessionCheck();
  if (!check.present) return null;
  const refreshToken = readRefreshCookieFromHeader((await headers()).get('cookie')).token;
  const result = check.ok ? await confirmSessionForWrite(check.session, { refreshToken }) : check;
  if (result.ok) return result.session;
  return endRefusedSession(result);
}

async function endRefusedSession(refusal: VerifyResult & { ok: false }): Promise<never> {
  const next = await getRequestPath();
  const reason = noticeForRejection(refusal);
  if (!clearsCookies(refusal)) redirect(`/session/clear?${new URLSearchParams({ next, reason })}`);
  clearSessionCookie(await cookies());
  redirect(loginPath({ next, reason }));
}

/**
 * Continues this browser's acting session as a new one (see reissueSession) and sets its cookie.
 * If another request re-issued or revoked it a moment earlier, this browser is sent to log in.
 */
export async function reissueCurrentSession(current: Session, mode: SessionMode, reason: RevokeReason) {
  return continueSession(await reissueSession(current, mode, await getClientInfo(), reason));
}

/** Sets the cookie of a session that continues this browser's; null (someone else re-issued or revoked it first) ends it. */
export async function continueSession(issued: IssuedSession | null) {
  if (!issued) return endRefusedSession({ ok: false, reason: 'revoked', revokedReason: 'replaced-by-login' });
  setSessionCookie(await cookies(), issued);
}

/** Like getActingSession, and an anonymous visitor is sent to log in too. */
export async function requireActingSession(): Promise<Session> {
  const session = await getActingSession();
  if (session) return session;
  redirect(loginPath({ next: await getRequestPath() }));
}

/** Login: always a brand-new session id (no fixation); a session this browser already had is revoked. */
export async function startSession(user: SessionUser, mode: SessionMode) {
  const previous = await getOptionalSession();
  if (previous) await revokeCurrentSession(previous, 'replaced-by-login');
  setSessionCookie(await cookies(), await createSession(user, mode, await getClientInfo()));
  after(() => purgeSessionsIfDue().catch((error) => console.error('session purge failed', error)));
}

/** Logout: this browser's session ends, and its cookie goes. */
export async function endSession(reason: RevokeReason) {
  const current = await getOptionalSession();
  if (current) await revokeCurrentSession(current, reason);
  clearSessionCookie(await cookies());
}

/** "Sign out everywhere": every session of the user ends, this browser's included. */
export async function endAllSessions(current: Session, reason: RevokeReason) {
  await revokeAllSessions(current.user.id, reason);
  clearSessionCookie(await cookies());
}

export type RecentSignIn = { ok: true } | { ok: false; needsPassword: true; message: string } | ({ ok: false; needsPassword?: false } & Throttled);

/**
 * Sensitive actions (signing devices out, signing out everywhere) need a sign-in within the last
 * FRESH_SIGN_IN_SECONDS, or the password typed again (ASVS 5.0 V7.5.2): a stolen cookie alone
 * cannot sign the owner's own devices out. A re-issue (mode switch) keeps the sign-in time, so it
 * does not make a session fresh; typing the password confirms this one action only.
 */
export async function confirmRecentSignIn(session: Session, password: string | undefined): Promise<RecentSignIn> {
  const signedInAt = session.authenticatedAt?.getTime() ?? 0;
  if (Date.now() - signedInAt <= getEnv().FRESH_SIGN_IN_SECONDS * 1000) return { ok: true };
  const seconds = getEnv().FRESH_SIGN_IN_SECONDS;
  const limit = seconds % 60 === 0 ? `${seconds / 60} ${seconds === 60 ? 'minute' : 'minutes'}` : `${seconds} seconds`;
  if (!password) return { ok: false, needsPassword: true, message: `You signed in more than ${limit} ago. Type your password to confirm it is you.` };
  const blocked = await beforePasswordCheck(session.user.id);
  if (blocked) return { ok: false, ...blocked };
  const checked = await withPasswordWork(() => verifyUserPassword(session.user.id, password));
  if (!checked.ok) {
    await refundPasswordFailure(session.user.id);
    return { ok: false, ...checked.throttled };
  }
  if (!checked.value) return { ok: false, needsPassword: true, message: 'That password is not correct.' };
  await refundPasswordFailure(session.user.id);
  return { ok: true };
}
