import 'server-only';
// Beside the core: continuing a session as a new one, for a mode switch and a password change.
// The successor has a new secret id, the same user and browser (deviceId), and ends no later than
// the credential that was authorised for the write, so nothing re-issued outlives what it was
// given. A copy that needs neither leaves this file out.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import { revokeOtherSessions, revokeSessionByToken, type ClientInfo } from './04-store';
import type { IssuedSession, RevokeReason, Session } from './05-session';
import { createSession, setSessionCookies } from './10-sessions';
import { getClientInfo, loginPath } from './11-dal';
import { hashPassword, verifyUserPassword } from './accounts';
import type { SessionMode } from './modes';

/**
 * Continues a session authorised for a write as a new one in `mode`, the old row revoked with the
 * reason. The old row is revoked first and only if it is still live, so two re-issues racing each
 * other yield one successor: the loser gets null.
 */
export async function reissueSession(
  current: Session,
  mode: SessionMode,
  client: ClientInfo,
  reason: RevokeReason,
  options: { reauthenticatedAt?: Date } = {},
) {
  if (!(await revokeSessionByToken(current.tokenHash, reason))) return null;
  // The sign-in time carries over, unless the user just typed their password again.
  const authenticatedAt = options.reauthenticatedAt ?? current.authenticatedAt ?? undefined;
  return createSession(current.user, mode, client, { notAfter: current.expiresAt, deviceId: current.deviceId ?? undefined, authenticatedAt });
}

/**
 * Sets the cookies of a session that continues this browser's. Null (another request re-issued or
 * revoked it a moment earlier) sends the browser to log in; its cookies stay, as they may be the
 * newer session's.
 */
export async function continueSession(issued: IssuedSession | null) {
  if (!issued) redirect(loginPath({ reason: 'replaced' }));
  setSessionCookies(await cookies(), issued);
  return issued;
}

/**
 * Continues this browser's session, authorised for a write, in `mode` (the mode switch). The new
 * session ends when a fresh one of `mode` would, or when `current` does if that is sooner:
 * `shortened` says it was cut to `current`'s end, which the user should hear at once.
 */
export async function switchSessionMode(current: Session, mode: SessionMode) {
  const issued = await continueSession(await reissueSession(current, mode, await getClientInfo(), 'mode-switch'));
  return { expiresAt: issued.expiresAt, shortened: +issued.expiresAt === +current.expiresAt };
}

/**
 * Sets a new password if the current one is right (null, and nothing changed, otherwise), signs
 * every other session of the user out, and continues this session, authorised for a write, as a
 * new one: a copy of this browser's cookie dies with the old one. `issued` is null when another
 * request re-issued or revoked it meanwhile.
 *
 * The order keeps this browser's own requests in flight from being refused as "password changed"
 * (and signing it out): this session is marked as freshly signed in, at the same instant as the
 * user's stamp, before the stamp lands. Its old token is then refused only once its successor
 * exists, as "replaced", which never clears a cookie (05-session.ts).
 */
export async function changePassword(current: Session, passwords: { current: string; next: string }, client: ClientInfo, now = new Date()) {
  const db = getDb();
  if (!(await verifyUserPassword(current.user.id, passwords.current))) return null;
  const passwordHash = await hashPassword(passwords.next);
  await db.session.updateMany({ where: { tokenHash: current.tokenHash, revokedAt: null }, data: { authenticatedAt: now } });
  // The stamp ends every session signed in before now, whichever rows are revoked below.
  await db.user.update({ where: { id: current.user.id }, data: { passwordHash, passwordChangedAt: now } });
  const signedOut = await revokeOtherSessions(current.user.id, current.tokenHash, 'password-changed');
  const issued = await reissueSession(current, current.mode, client, 'password-changed-here', { reauthenticatedAt: now });
  return { issued, signedOut };
}
