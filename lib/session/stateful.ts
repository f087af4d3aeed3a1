import 'server-only';
// Stateful mode: the token carries only a random session id; the Session row is the truth.
// Every request verifies the token, then reads the row (one query, with the user joined), so
// revoking the row ends the session on that device's very next request.
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { hashTokenId } from './hash';
import { randomId, signToken, type StatefulPayload, type VerifiedToken } from './token';
import type { ClientInfo, IssuedSession, SessionUser, VerifyResult } from './types';

type DateValue = Date | string | number;
type LookupRow = {
  mode: string;
  createdAt: DateValue;
  lastActiveAt: DateValue;
  expiresAt: DateValue;
  revokedAt: DateValue | null;
  revokedReason: string | null;
  userId: string;
  name: string;
  email: string;
  role: string;
  disabledAt: DateValue | null;
};

/** Raw rows carry dates as the driver stores them (Date for PostgreSQL, ISO text or ms for SQLite). */
function toDate(value: DateValue) {
  return value instanceof Date ? value : new Date(value);
}

export async function createStatefulSession(user: SessionUser, client: ClientInfo, ttlSeconds = getEnv().SESSION_ABSOLUTE_TTL_SECONDS): Promise<IssuedSession> {
  const sid = randomId();
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const row = await getDb().session.create({
    data: { id: randomId(), tokenHash: hashTokenId(sid), userId: user.id, mode: 'stateful', ...client, expiresAt },
    select: { id: true },
  });
  const token = await signToken('stateful', { sid }, expiresAt);
  return { token, expiresAt, rowId: row.id };
}

/** The one query of a stateful request. Idle and absolute limits are checked here, on the server. */
export async function verifyStatefulSession(token: VerifiedToken & { payload: StatefulPayload }, now = new Date()): Promise<VerifyResult> {
  const tokenHash = hashTokenId(token.payload.sid);
  // One statement with the user JOINed. Prisma's include would send two (relationJoins does not
  // cover SQLite), and the per-request query count is the point of this mode.
  const [row] = await getDb().$queryRaw<LookupRow[]>`
    SELECT s."mode", s."createdAt", s."lastActiveAt", s."expiresAt", s."revokedAt", s."revokedReason",
           u."id" AS "userId", u."name", u."email", u."role", u."disabledAt"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."tokenHash" = ${tokenHash}`;
  if (!row || row.mode !== 'stateful') return { ok: false, reason: 'unknown-session' };
  if (row.revokedAt) return { ok: false, reason: 'revoked', revokedReason: row.revokedReason };
  const expiresAt = toDate(row.expiresAt);
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  if (toDate(row.lastActiveAt).getTime() + getEnv().SESSION_IDLE_TIMEOUT_SECONDS * 1000 <= now.getTime()) return { ok: false, reason: 'idle' };
  if (row.disabledAt) return { ok: false, reason: 'user-disabled' };
  const user = { id: row.userId, name: row.name, email: row.email, role: row.role };
  const lastActiveAt = toDate(row.lastActiveAt);
  return { ok: true, session: { mode: 'stateful', user, tokenHash, issuedAt: toDate(row.createdAt), expiresAt, lastActiveAt, token } };
}

/**
 * Whether this request should record activity. Decided from the row the check already read, so
 * a request that records nothing costs no statement: "last active" is written at most once per
 * SESSION_ACTIVITY_INTERVAL_SECONDS, because a write on every request would double the database
 * load for a time nobody needs to the second.
 */
export function isActivityDue(lastActiveAt: Date, now = new Date()) {
  return now.getTime() - lastActiveAt.getTime() >= getEnv().SESSION_ACTIVITY_INTERVAL_SECONDS * 1000;
}

/** The write itself; its condition keeps concurrent requests from writing twice. */
export async function touchStatefulSession(tokenHash: string, now = new Date()) {
  const threshold = new Date(now.getTime() - getEnv().SESSION_ACTIVITY_INTERVAL_SECONDS * 1000);
  await getDb().session.updateMany({
    where: { tokenHash, revokedAt: null, lastActiveAt: { lt: threshold } },
    data: { lastActiveAt: now },
  });
}
