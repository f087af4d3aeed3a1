import 'server-only';
// Stateful mode: the token carries only a random session id; the Session row is the truth.
// Every request verifies the token, then reads the row (one query, with the user joined), so
// revoking the row ends the session on that device's very next request.
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { hashSecretId } from './hash';
import { readSessionRow, refuseRow } from './row';
import { randomId } from '@/lib/session/ids';
import { signToken, type StatefulPayload, type VerifiedToken } from './token';
import type { ClientInfo, IssuedSession, SessionTerms, SessionUser, VerifyResult } from './types';

export async function createStatefulSession(user: SessionUser, client: ClientInfo, terms: SessionTerms): Promise<IssuedSession> {
  const { expiresAt } = terms;
  const sid = randomId();
  const row = await getDb().session.create({
    data: { id: randomId(), tokenHash: hashSecretId(sid), userId: user.id, mode: 'stateful', ...client, ...terms },
    select: { id: true },
  });
  const token = await signToken('stateful', { sid }, expiresAt);
  return { token, expiresAt, sessionId: row.id };
}

/** The one query of a stateful request. Idle and absolute limits are checked here, on the server. */
export async function verifyStatefulSession(token: VerifiedToken & { payload: StatefulPayload }, now = new Date()): Promise<VerifyResult> {
  const { tokenHash } = token;
  const row = await readSessionRow(tokenHash);
  const refusal = refuseRow(row, 'stateful', now);
  if (refusal || !row) return { ok: false, ...(refusal ?? { reason: 'unknown-session' }) };
  return {
    ok: true,
    activityDue: isActivityDue(row.lastActiveAt, now),
    session: {
      mode: 'stateful',
      user: row.user,
      tokenHash,
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      lastActiveAt: row.lastActiveAt,
      token,
      deviceId: row.deviceId,
      authenticatedAt: row.authenticatedAt,
    },
  };
}

/**
 * Whether this request should record activity. Decided from the row the check already read, so
 * a request that records nothing costs no statement: "last active" is written at most once per
 * SESSION_ACTIVITY_INTERVAL_SECONDS, because a write on every request would double the database
 * load for a time nobody needs to the second.
 */
function isActivityDue(lastActiveAt: Date, now: Date) {
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
