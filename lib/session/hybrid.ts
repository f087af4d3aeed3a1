import 'server-only';
// Hybrid mode: what Supabase, Clerk, Auth0 and Lucia's guidance actually ship.
// - A short access token (HYBRID_ACCESS_TTL_SECONDS, 5 minutes by default), signed with Ed25519
//   and verified like a stateless one: no query. It is this app's session cookie and nothing else:
//   another service gets a token of its own audience by a token exchange (service-token.ts).
// - An opaque refresh token (its own cookie), stored only as a hash. Exchanging it for a new
//   access token reads the session's row, so a signed-out device can keep reading for at most one
//   access-token lifetime, and the database is read once per refresh, not per request.
// - A write needs both: the access token says who, the refresh token proves this browser holds the
//   session's family. A copied access token alone can read until it expires, never act.
//
// A refresh token is `<id>.<mac>`: 128 random bits, and an HMAC of them under a server key, so a
// forged or mistyped one is refused before any query. Its row is keyed by a hash of the id.
//
// Rotation with reuse detection (RFC 9700 §4.14.2, as Supabase documents it):
// - Every refresh rotates. Each token's successor is an HMAC of its id under another server key,
//   not a fresh random value, so a token's whole line of descendants is known in advance, and its
//   standing follows from which of their rows exist:
//     live         its successor's row does not exist yet;
//     predecessor  its successor's row exists, but the successor has never been exchanged;
//     reused       its successor has been exchanged too (an older token, or a copy).
// - Inserting the successor's row is the whole rotation: one statement, so there is no moment at
//   which a crash leaves the family half rotated, and the primary key lets exactly one of two
//   concurrent refreshes insert it.
// - The predecessor gets the same successor back, with no time limit: a rotation whose response
//   never arrived (a closed laptop lid, a dropped prefetch, two tabs at once) costs nothing.
// - A reused token signs the session out: someone holds a copy. The devices page says "Signed out:
//   refresh token reused". A copy presented before its owner used the successor is
//   indistinguishable from a lost response; it is caught once either side falls two rotations behind.
// - A refresh never extends the session's absolute end, and a session idle for longer than
//   SESSION_IDLE_TIMEOUT_SECONDS (no refresh) cannot refresh.
//
// Here `sid` is the row's public id, not a secret as in stateful mode: an access token is a
// credential because of its signature, and only the refresh token is a bearer secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { randomId } from '@/lib/session/ids';
import { hashSecretId } from './hash';
import { getRefreshMacKey, getRefreshSuccessorKey } from './keys';
import { confirmedSession, readSessionRow, refuseRow, sessionFromClaims } from './row';
import { signToken, type HybridPayload, type VerifiedToken } from './token';
import type { ClientInfo, IssuedSession, RejectionReason, Session, SessionTerms, SessionUser, VerifyResult } from './types';

/** The access token: the session's user and id, until the sooner of one access lifetime and the session's end. */
async function signAccessToken(user: SessionUser, sessionId: string, sessionEnd: Date, now: Date) {
  const accessEnd = new Date(Math.min(now.getTime() + getEnv().HYBRID_ACCESS_TTL_SECONDS * 1000, sessionEnd.getTime()));
  return signToken('hybrid', { sub: user.id, name: user.name, role: user.role, sid: sessionId, jti: randomId() }, accessEnd, now);
}

const ID_BYTES = 16;
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

const hmac16 = (key: Parameters<typeof createHmac>[1], value: string) => createHmac('sha256', key).update(value).digest().subarray(0, ID_BYTES);

/** The cookie value for a refresh token id. */
function refreshTokenOf(id: string) {
  return `${id}.${hmac16(getRefreshMacKey(), id).toString('base64url')}`;
}

/** The id inside a refresh token this server issued, or null: a forged one costs no query. */
function parseRefreshToken(token: string | undefined): string | null {
  const match = REFRESH_TOKEN.exec(token ?? '');
  if (!match) return null;
  const given = Buffer.from(match[2], 'base64url');
  return given.length === ID_BYTES && timingSafeEqual(given, hmac16(getRefreshMacKey(), match[1])) ? match[1] : null;
}

/** The id of the refresh token that replaces `id`: the same for every caller who presents it. */
function successorOf(id: string) {
  return hmac16(getRefreshSuccessorKey(), id).toString('base64url');
}

type Standing = 'live' | 'predecessor' | 'reused';

/** Whose token `id` is, and where it stands in its family (see the top of this file): one query. */
async function standingOf(id: string): Promise<{ sessionId: string; standing: Standing; successor: string } | null> {
  const successor = successorOf(id);
  const [own, next, afterNext] = [id, successor, successorOf(successor)].map(hashSecretId);
  const rows = await getDb().refreshToken.findMany({ where: { hash: { in: [own, next, afterNext] } }, select: { hash: true, sessionId: true } });
  const found = new Map(rows.map((row) => [row.hash, row.sessionId]));
  const sessionId = found.get(own);
  if (!sessionId) return null;
  const standing = found.has(afterNext) ? 'reused' : found.has(next) ? 'predecessor' : 'live';
  return { sessionId, standing, successor };
}

export async function createHybridSession(user: SessionUser, client: ClientInfo, terms: SessionTerms, now = new Date()): Promise<IssuedSession> {
  const sessionId = randomId();
  const refreshId = randomId();
  await getDb().session.create({
    data: {
      id: sessionId,
      tokenHash: hashSecretId(sessionId),
      userId: user.id,
      mode: 'hybrid',
      ...client,
      ...terms,
      lastActiveAt: now,
      refreshTokens: { create: { hash: hashSecretId(refreshId), createdAt: now } },
    },
    select: { id: true },
  });
  const token = await signAccessToken(user, sessionId, terms.expiresAt, now);
  return { token, expiresAt: terms.expiresAt, sessionId, refreshToken: refreshTokenOf(refreshId) };
}

/** A read: the signature and the claims are the whole check, as in stateless mode. */
export function verifyHybridSession(token: VerifiedToken & { payload: HybridPayload }): Session {
  return sessionFromClaims(token);
}

const REUSED = { ok: false, reason: 'revoked', revokedReason: 'refresh-reused' } as const;
const NO_PROOF = { ok: false, reason: 'refresh-required' } as const;

/**
 * Before a write: the row must be alive, and this browser must hold the session's refresh token
 * (the live one, or its predecessor). A signed-out device can read until its access token expires,
 * never act; and a copied access token alone cannot act at all. With that proof the session is
 * known to last until the row's end, not just the access token's.
 */
export async function confirmHybridSession(session: Session, refreshToken: string | undefined, now = new Date()): Promise<VerifyResult> {
  const row = await readSessionRow(session.tokenHash);
  const refusal = refuseRow(row && row.user.id === session.user.id ? row : null, 'hybrid', now);
  if (refusal || !row) return { ok: false, ...(refusal ?? { reason: 'unknown-session' }) };
  const id = parseRefreshToken(refreshToken);
  const family = id ? await standingOf(id) : null;
  if (!family || session.token.mode !== 'hybrid' || family.sessionId !== session.token.payload.sid) return NO_PROOF;
  if (family.standing === 'reused') {
    await revokeFamily(family.sessionId, now);
    return REUSED;
  }
  return { ok: true, session: confirmedSession(session, row, row.expiresAt) };
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

/**
 * Exchanges a refresh token for a new access token and the next refresh token. `rotated` is false
 * when the presented token was the predecessor, or another request rotated it a moment earlier:
 * the answer is the same successor either way.
 */
export async function refreshHybridSession(refreshToken: string | undefined, now = new Date()): Promise<RefreshResult> {
  if (!getEnv().SESSION_MODES.includes('hybrid')) return { ok: false, reason: 'mode-not-allowed' };
  const id = parseRefreshToken(refreshToken);
  if (!id) return { ok: false, reason: 'malformed' };
  const family = await standingOf(id);
  if (!family) return { ok: false, reason: 'unknown-session' };
  const { sessionId, successor } = family;
  const row = await readSessionRow(hashSecretId(sessionId));
  const refusal = refuseRow(row, 'hybrid', now);
  if (refusal || !row) return { ok: false, ...(refusal ?? { reason: 'unknown-session' }) };
  if (family.standing === 'reused') {
    await revokeFamily(sessionId, now);
    return REUSED;
  }
  const rotated = family.standing === 'live' && (await insertSuccessor(successor, sessionId, now));
  // The row was alive when read above; a sign-out since then must not be answered with a new token.
  const touched = await getDb().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastActiveAt: now } });
  if (touched.count === 0) return { ok: false, ...(refuseRow(await readSessionRow(hashSecretId(sessionId)), 'hybrid', now) ?? { reason: 'unknown-session' }) };
  const token = await signAccessToken(row.user, sessionId, row.expiresAt, now);
  return { ok: true, rotated, issued: { token, expiresAt: row.expiresAt, sessionId, refreshToken: refreshTokenOf(successor) } };
}

/** Prisma's unique-constraint violation. */
function isDuplicate(error: unknown) {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** The rotation: false when another refresh of the same token inserted the successor first. */
async function insertSuccessor(successor: string, sessionId: string, now: Date) {
  try {
    await getDb().refreshToken.create({ data: { hash: hashSecretId(successor), sessionId, createdAt: now } });
    return true;
  } catch (error) {
    if (isDuplicate(error)) return false;
    throw error;
  }
}

/** Reuse detected: the whole login is signed out, on every device that holds one of its tokens. */
async function revokeFamily(sessionId: string, now: Date) {
  await getDb().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: 'refresh-reused' } });
}
