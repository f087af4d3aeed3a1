import 'server-only';
// The session module: the one API the rest of the app uses. Each mode lives in its own file
// (stateless.ts, stateful.ts) so the two can be read side by side; this file picks the mode,
// and owns the operations on Session rows that the devices page needs.
import { getEnv, type SessionMode } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { createStatelessSession, verifyStatelessSession } from './stateless';
import { createStatefulSession, touchStatefulSession, verifyStatefulSession } from './stateful';
import { verifyToken } from './token';
import type { ClientInfo, IssuedSession, Session, SessionUser, VerifyResult } from './types';

export type { ClientInfo, IssuedSession, Session, SessionUser, VerifyResult } from './types';
export { touchStatefulSession };

export type RevokeReason = 'logout' | 'signed-out-by-other-device' | 'signed-out-everywhere' | 'password-changed' | 'mode-switch' | 'replaced-by-login';

export function isModeAllowed(mode: SessionMode) {
  return getEnv().SESSION_MODES.includes(mode);
}

export function createSession(user: SessionUser, mode: SessionMode, client: ClientInfo): Promise<IssuedSession> {
  if (!isModeAllowed(mode)) throw new Error(`Session mode ${mode} is disabled by SESSION_MODES`);
  return mode === 'stateless' ? createStatelessSession(user, client) : createStatefulSession(user, client);
}

/** The authoritative check: token rules for both modes, plus the row lookup in stateful mode. */
export async function verifySessionToken(token: string | undefined | null): Promise<VerifyResult> {
  const result = await verifyToken(token);
  if (!result.ok) return result;
  if (result.token.mode === 'stateless') return { ok: true, session: verifyStatelessSession(result.token) };
  return verifyStatefulSession(result.token);
}

/** Marks the row of the session presented by this token revoked (stateless: bookkeeping only). */
export async function revokeSessionByTokenHash(tokenHash: string, reason: RevokeReason) {
  await getDb().session.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
}

/**
 * Revokes one of the user's sessions by its public row id. The userId condition is the IDOR
 * guard: an id that belongs to someone else matches no row and changes nothing.
 */
export async function revokeSession(userId: string, sessionId: string, reason: RevokeReason) {
  const { count } = await getDb().session.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count > 0;
}

/** Revokes every session of the user, or every one but the current device's. */
export async function revokeUserSessions(userId: string, reason: RevokeReason, options: { exceptTokenHash?: string } = {}) {
  const { count } = await getDb().session.updateMany({
    where: { userId, revokedAt: null, ...(options.exceptTokenHash ? { tokenHash: { not: options.exceptTokenHash } } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

/** Re-issues the current session in another mode: new id, same user, old row revoked. */
export async function switchSessionMode(current: Session, mode: SessionMode, client: ClientInfo): Promise<IssuedSession> {
  const issued = await createSession(current.user, mode, client);
  await revokeSessionByTokenHash(current.tokenHash, 'mode-switch');
  return issued;
}
