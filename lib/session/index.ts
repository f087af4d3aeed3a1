import 'server-only';
// The session module: the one API the rest of the app uses. Each mode lives in its own file
// (stateless.ts, stateful.ts, hybrid.ts) so they can be read side by side; this file picks the mode,
// and owns the operations on Session rows that the devices page needs.
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { getDb } from '@/lib/db/client';
import { processSingleton } from '@/lib/process-state';
import type { RevokeReason } from '@/lib/session/reasons';
import { confirmStatelessSession, createStatelessSession, verifyStatelessSession } from './stateless';
import { createStatefulSession, touchStatefulSession, verifyStatefulSession } from './stateful';
import { confirmHybridSession, createHybridSession, verifyHybridSession } from './hybrid';
import { randomId } from '@/lib/session/ids';
import { purgeRetiredKeys } from './signing-keys';
import { verifyTokenLoadingKeys, type TokenResult } from './token';
import type { ClientInfo, IssuedSession, Session, SessionUser, VerifyResult } from './types';

export type { ClientInfo, IssuedSession, Session, SessionUser, VerifyResult } from './types';
export type { RevokeReason };
export { touchStatefulSession };

export function isModeAllowed(mode: SessionMode) {
  return getEnv().SESSION_MODES.includes(mode);
}

export type CreateOptions = {
  /** Ends it no later than this: a re-issued session never outlives the one it replaces. */
  notAfter?: Date;
  /** The browser's login this session continues; a new login starts a new one. */
  deviceId?: string;
  /** When the user last typed a password for it; a login is now. */
  authenticatedAt?: Date;
};

function lifetimeSeconds(mode: SessionMode) {
  const env = getEnv();
  // A stateless token cannot be refreshed, so its lifetime is the session's; the others renew.
  return mode === 'stateless' ? env.STATELESS_TOKEN_TTL_SECONDS : env.SESSION_ABSOLUTE_TTL_SECONDS;
}

export function createSession(user: SessionUser, mode: SessionMode, client: ClientInfo, options: CreateOptions = {}): Promise<IssuedSession> {
  if (!isModeAllowed(mode)) throw new Error(`Session mode ${mode} is disabled by SESSION_MODES`);
  const fullTermMs = Date.now() + lifetimeSeconds(mode) * 1000;
  const expiresAt = new Date(Math.min(fullTermMs, options.notAfter?.getTime() ?? Infinity));
  const terms = { expiresAt, deviceId: options.deviceId ?? randomId(), authenticatedAt: options.authenticatedAt ?? new Date() };
  if (mode === 'stateless') return createStatelessSession(user, client, terms);
  return mode === 'stateful' ? createStatefulSession(user, client, terms) : createHybridSession(user, client, terms);
}

/** The authoritative check: token rules for every mode, plus the row lookup in stateful mode. */
export function verifySessionToken(token: string | undefined | null): Promise<VerifyResult> {
  // Not async: every await costs a turn of the microtask queue, and this runs on every request.
  const result = verifyTokenLoadingKeys(token);
  return result instanceof Promise ? result.then(checkVerifiedToken) : checkVerifiedToken(result);
}

function checkVerifiedToken(result: TokenResult): Promise<VerifyResult> {
  if (!result.ok) return Promise.resolve(result);
  const { token } = result;
  if (token.mode === 'stateless') return Promise.resolve({ ok: true, session: verifyStatelessSession(token) });
  if (token.mode === 'hybrid') return Promise.resolve({ ok: true, session: verifyHybridSession(token) });
  return verifyStatefulSession(token);
}

/** What a request carries besides its session token that a write may need: hybrid's refresh token. */
export type WriteCredentials = { refreshToken?: string };

/**
 * "Stateless for reads, the row for writes": before anything changes state, the session's row
 * must be alive. The stateful check read that row moments ago in this request; a stateless
 * session reads it now, so a signed-out stateless token can still read until exp, but never act;
 * a hybrid one also needs its refresh token, so a copied access token alone never acts.
 */
export function confirmSessionForWrite(session: Session, credentials: WriteCredentials = {}): Promise<VerifyResult> {
  if (session.mode === 'stateless') return confirmStatelessSession(session);
  return session.mode === 'hybrid' ? confirmHybridSession(session, credentials.refreshToken) : Promise.resolve({ ok: true, session });
}

/** Signs out the session this request presented (stateless: bookkeeping only); false if it already was. */
export async function revokeCurrentSession(current: Session, reason: RevokeReason) {
  const { count } = await getDb().session.updateMany({
    where: { tokenHash: current.tokenHash, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count > 0;
}

/**
 * Revokes one of the user's sessions by its public row id. The userId condition is the IDOR
 * guard: an id that belongs to someone else matches no row and changes nothing.
 */
export async function revokeSession(userId: string, sessionId: string, reason: RevokeReason): Promise<SessionMode | null> {
  const { count } = await getDb().session.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  if (count === 0) return null;
  const row = await getDb().session.findUnique({ where: { id: sessionId }, select: { mode: true } });
  return (row?.mode as SessionMode | undefined) ?? null;
}

/** Signs out every other session of the user: all but the one presented by this token. */
export async function revokeOtherSessions(current: Session, reason: RevokeReason) {
  const { count } = await getDb().session.updateMany({
    where: { userId: current.user.id, revokedAt: null, tokenHash: { not: current.tokenHash } },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

/** Signs out every session of the user, this one included. */
export async function revokeAllSessions(userId: string, reason: RevokeReason) {
  const { count } = await getDb().session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  return count;
}

/**
 * Re-issues a confirmed session (see confirmSessionForWrite): new secret id, same user and
 * browser, ending no later than the credential that was confirmed, old row revoked with the reason. A mode switch and a password
 * change both go through here. The old row is revoked first and only if it is still live, so two
 * re-issues of one session racing each other yield one successor, not two: the loser gets null.
 */
export async function reissueSession(
  current: Session,
  mode: SessionMode,
  client: ClientInfo,
  reason: RevokeReason,
  options: { reauthenticatedAt?: Date } = {},
): Promise<IssuedSession | null> {
  if (!(await revokeCurrentSession(current, reason))) return null;
  return createSession(current.user, mode, client, {
    notAfter: current.expiresAt,
    deviceId: current.deviceId || undefined,
    // The sign-in time carries over, unless the user just typed their password again.
    authenticatedAt: options.reauthenticatedAt ?? current.authenticatedAt ?? undefined,
  });
}

export type SessionRecord = {
  id: string;
  tokenHash: string;
  mode: SessionMode;
  deviceId: string;
  /** When the user signed in (a re-issue keeps it); null on rows from before it was recorded. */
  authenticatedAt: Date | null;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
};

/**
 * The user's sessions a person would call "signed in": unexpired, and for stateful ones not
 * revoked and not idle. Revoked stateless sessions stay listed until exp, and revoked hybrid ones
 * for one access-token lifetime, because their tokens still read and the user should see that
 * (and those signed out because their refresh token was reused, until they are purged).
 */
export async function listSessions(userId: string, now = new Date()): Promise<SessionRecord[]> {
  const accessTokensIssuedAfter = new Date(now.getTime() - getEnv().HYBRID_ACCESS_TTL_SECONDS * 1000);
  const rows = await getDb().session.findMany({
    where: {
      userId,
      expiresAt: { gt: now },
      OR: [
        { mode: 'stateless' },
        { mode: 'stateful', revokedAt: null, lastActiveAt: { gt: idleCutoff(now) } },
        {
          mode: 'hybrid',
          lastActiveAt: { gt: idleCutoff(now) },
          // A reused refresh token stays listed until its row is purged: the user should see that a copy was caught.
          OR: [{ revokedAt: null }, { revokedAt: { gt: accessTokensIssuedAfter } }, { revokedReason: 'refresh-reused' }],
        },
      ],
    },
    orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }],
    select: {
      id: true,
      tokenHash: true,
      mode: true,
      deviceId: true,
      revokedReason: true,
      userAgent: true,
      ip: true,
      authenticatedAt: true,
      createdAt: true,
      lastActiveAt: true,
      expiresAt: true,
      revokedAt: true,
    },
  });
  return rows.map((row) => ({ ...row, mode: row.mode as SessionMode }));
}

/** Users with at least one live stateful session: the "active users" a stateful server can count. */
export async function countActiveStatefulUsers(now = new Date()) {
  const rows = await getDb().session.findMany({
    where: { mode: 'stateful', revokedAt: null, expiresAt: { gt: now }, lastActiveAt: { gt: idleCutoff(now) } },
    distinct: ['userId'],
    select: { userId: true },
  });
  return rows.length;
}

function idleCutoff(now: Date) {
  return new Date(now.getTime() - getEnv().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
}

/** Dead rows are kept this long, so a signed-out browser still learns why it was signed out. */
export const REVOKED_RETENTION_MS = 24 * 3600 * 1000;

/** Deletes expired rows, and revoked or idle stateful and hybrid rows older than the retention. Refresh tokens go with their rows. */
export async function purgeSessions(now = new Date()) {
  const retention = new Date(now.getTime() - REVOKED_RETENTION_MS);
  const { count } = await getDb().session.deleteMany({
    where: {
      OR: [
        { expiresAt: { lte: now } },
        { mode: { in: ['stateful', 'hybrid'] }, revokedAt: { lt: retention } },
        { mode: { in: ['stateful', 'hybrid'] }, lastActiveAt: { lt: new Date(idleCutoff(now).getTime() - REVOKED_RETENTION_MS) } },
      ],
    },
  });
  return count;
}

const PURGE_INTERVAL_MS = 10 * 60 * 1000;
const purge = processSingleton('session-purge', () => ({ last: 0 }));

/** The lazy clean-up: called after logins, runs at most every ten minutes per process. Retired signing keys go too. */
export async function purgeSessionsIfDue(now = new Date()) {
  if (now.getTime() - purge.last < PURGE_INTERVAL_MS) return 0;
  purge.last = now.getTime();
  await purgeRetiredKeys(now);
  return purgeSessions(now);
}
