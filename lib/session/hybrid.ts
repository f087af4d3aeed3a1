import 'server-only';
// Hybrid mode: what Supabase, Clerk, Auth0 and Lucia's guidance actually ship.
// - A short access token (HYBRID_ACCESS_TTL_SECONDS, 5 minutes by default), signed with Ed25519
//   and verified like a stateless one: no query. Another service can verify it with nothing but
//   the published keys (signing-keys.ts, verifier/server.mjs).
// - An opaque refresh token (128 random bits, its own cookie), stored only as a hash. Exchanging it
//   for a new access token reads the session's row, so a signed-out device can keep reading for
//   at most one access-token lifetime, and the database is read once per refresh, not per request.
//
// Rotation with reuse detection (RFC 9700 §4.14.2, Auth0's and Supabase's rules):
// - Every refresh rotates. Each token's successor is an HMAC of it under a server key, not a
//   fresh random value, so its row's key is known in advance: inserting the successor's row is the
//   claim (the primary key lets exactly one of two concurrent refreshes insert it), and a
//   compare-and-swap then marks the presented token rotated. Two single statements, no
//   interactive transaction: on SQLite, Prisma runs other requests' statements on the one
//   connection inside an open transaction, where they would see its uncommitted half.
// - So a repeat of the immediate predecessor within HYBRID_REUSE_WINDOW_SECONDS (two tabs, or two
//   requests, refreshing at once) gets the *same* successor back, without the successor ever
//   being stored: both stay signed in, and the family still has one live token.
// - Any other reuse (an older token, or the predecessor after the window) revokes the session:
//   someone holds a copy. The devices page says "Signed out: refresh token reused".
// - A refresh never extends the session's absolute end, and a session idle for longer than
//   SESSION_IDLE_TIMEOUT_SECONDS (no refresh) cannot refresh.
//
// Here `sid` is the row's public id, not a secret as in stateful mode: an access token is a
// credential because of its signature, and only the refresh token is a bearer secret.
import { createHmac } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { RANDOM_ID, randomId } from '@/lib/session/ids';
import { hashSecretId } from './hash';
import { getRefreshSuccessorKey } from './keys';
import { confirmAgainstRow, readSessionRow, refuseRow, sessionFromClaims } from './row';
import { signToken, type HybridPayload, type VerifiedToken } from './token';
import type { ClientInfo, IssuedSession, RejectionReason, Session, SessionTerms, SessionUser, VerifyResult } from './types';

/** The access token: the session's user and id, until the sooner of one access lifetime and the session's end. */
async function signAccessToken(user: SessionUser, sessionId: string, sessionEnd: Date, now: Date) {
  const accessEnd = new Date(Math.min(now.getTime() + getEnv().HYBRID_ACCESS_TTL_SECONDS * 1000, sessionEnd.getTime()));
  return signToken('hybrid', { sub: user.id, name: user.name, role: user.role, sid: sessionId, jti: randomId() }, accessEnd, now);
}

/** The refresh token that replaces `refreshToken`: the same for every caller who presents it. */
function successorOf(refreshToken: string) {
  return createHmac('sha256', getRefreshSuccessorKey()).update(refreshToken).digest().subarray(0, 16).toString('base64url');
}

export async function createHybridSession(user: SessionUser, client: ClientInfo, terms: SessionTerms, now = new Date()): Promise<IssuedSession> {
  const sessionId = randomId();
  const refreshToken = randomId();
  await getDb().session.create({
    data: {
      id: sessionId,
      tokenHash: hashSecretId(sessionId),
      userId: user.id,
      mode: 'hybrid',
      ...client,
      ...terms,
      lastActiveAt: now,
      refreshTokens: { create: { hash: hashSecretId(refreshToken), createdAt: now } },
    },
    select: { id: true },
  });
  const token = await signAccessToken(user, sessionId, terms.expiresAt, now);
  return { token, expiresAt: terms.expiresAt, sessionId, refreshToken };
}

/** A read: the signature and the claims are the whole check, as in stateless mode. */
export function verifyHybridSession(token: VerifiedToken & { payload: HybridPayload }): Session {
  return sessionFromClaims(token);
}

/** Before a write, the row must be alive: a signed-out device can read until its access token expires, never act. */
export function confirmHybridSession(session: Session, now = new Date()): Promise<VerifyResult> {
  return confirmAgainstRow(session, now);
}

/**
 * Whether the proxy should renew this access token now: it has expired, or will within
 * HYBRID_REFRESH_LEEWAY_SECONDS, so a page rendering near the end does not outlive it.
 */
export function isAccessTokenDue(expSeconds: number, now = new Date()) {
  return expSeconds * 1000 - now.getTime() <= getEnv().HYBRID_REFRESH_LEEWAY_SECONDS * 1000;
}

export type RefreshResult =
  { ok: true; issued: IssuedSession & { refreshToken: string }; rotated: boolean } | { ok: false; reason: RejectionReason; revokedReason?: string | null };

const REUSED: RefreshResult = { ok: false, reason: 'revoked', revokedReason: 'refresh-reused' };

/**
 * Exchanges a refresh token for a new access token and the next refresh token. `rotated` is false
 * when this was a repeat of the immediate predecessor inside the reuse window.
 */
export async function refreshHybridSession(refreshToken: string | undefined, now = new Date()): Promise<RefreshResult> {
  if (!getEnv().SESSION_MODES.includes('hybrid')) return { ok: false, reason: 'mode-not-allowed' };
  if (!RANDOM_ID.safeParse(refreshToken).success) return { ok: false, reason: 'malformed' };
  const presentedToken = refreshToken as string;
  const db = getDb();
  const hash = hashSecretId(presentedToken);
  const presented = await db.refreshToken.findUnique({ where: { hash }, select: { sessionId: true, rotatedAt: true } });
  if (!presented) return { ok: false, reason: 'unknown-session' };
  const { sessionId } = presented;
  const row = await readSessionRow(hashSecretId(sessionId));
  const refusal = refuseRow(row, 'hybrid', now);
  if (refusal || !row) return { ok: false, ...(refusal ?? { reason: 'unknown-session' }) };

  const successor = successorOf(presentedToken);
  const successorHash = hashSecretId(successor);
  const rotated = presented.rotatedAt === null && (await claimSuccessor(hash, successorHash, sessionId, now));
  if (!rotated && !(await isImmediatePredecessorInWindow(hash, successorHash, now))) {
    await revokeFamily(sessionId, now);
    return REUSED;
  }
  // The row was alive when read above; a sign-out since then must not be answered with a new token.
  const touched = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastActiveAt: now } });
  if (touched.count === 0) return { ok: false, ...(refuseRow(await readSessionRow(hashSecretId(sessionId)), 'hybrid', now) ?? { reason: 'unknown-session' }) };
  const token = await signAccessToken(row.user, sessionId, row.expiresAt, now);
  return { ok: true, rotated, issued: { token, expiresAt: row.expiresAt, sessionId, refreshToken: successor } };
}

/** Prisma's unique-constraint violation. */
function isDuplicate(error: unknown) {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * Rotates: inserts the successor's row (only one concurrent refresh can), then marks the presented
 * token rotated. False when another refresh of the same token got there first.
 */
async function claimSuccessor(hash: string, successorHash: string, sessionId: string, now: Date) {
  const db = getDb();
  try {
    await db.refreshToken.create({ data: { hash: successorHash, sessionId, createdAt: now } });
  } catch (error) {
    if (isDuplicate(error)) return false;
    throw error;
  }
  await db.refreshToken.updateMany({ where: { hash, rotatedAt: null }, data: { rotatedAt: now } });
  return true;
}

/**
 * The presented token's successor is the family's live token, and the presented one was rotated
 * within the window, or is being rotated right now (its successor's row is in, its own mark not yet).
 */
async function isImmediatePredecessorInWindow(hash: string, successorHash: string, now: Date) {
  const db = getDb();
  const [presented, successor] = await Promise.all([
    db.refreshToken.findUnique({ where: { hash }, select: { rotatedAt: true } }),
    db.refreshToken.findUnique({ where: { hash: successorHash }, select: { rotatedAt: true } }),
  ]);
  if (!presented || !successor || successor.rotatedAt !== null) return false;
  return !presented.rotatedAt || now.getTime() - presented.rotatedAt.getTime() <= getEnv().HYBRID_REUSE_WINDOW_SECONDS * 1000;
}

/** Reuse detected: the whole login is signed out, on every device that holds one of its tokens. */
async function revokeFamily(sessionId: string, now: Date) {
  await getDb().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: 'refresh-reused' } });
}
