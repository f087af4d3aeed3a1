// Idle and absolute timeouts, "last active" throttling, and the clean-up, on a real SQLite file.
import type { SessionMode } from '@/lib/session/modes';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { revokeOtherSessions, revokeSession } from '@/lib/session/04-store';
import { purgeSessions } from '@/lib/session/housekeeping';
import { checkSession, createSession, listSessions } from '@/lib/session/10-sessions';
import { hashSecretId } from '@/lib/session/01-settings';
import { MODES } from '@/lib/session/modes';
import { countActiveStatefulUsers, countActiveUsers, countUnexpiredStatelessUsers } from '@/lib/lab/active-users';

/** How long dead rows are kept, so a signed-out browser still learns why (04-store.ts). */
const REVOKED_RETENTION_MS = 24 * 3600 * 1000;
import { CLIENT, createTestUser } from './helpers';

const minutes = (n: number) => n * 60 * 1000;

async function stateful() {
  const user = await createTestUser();
  const issued = await createSession(user, 'stateful', CLIENT);
  return { user, issued };
}

describe('stateful timeouts', () => {
  it('ends a session idle for longer than SESSION_IDLE_TIMEOUT_SECONDS', async () => {
    const { issued } = await stateful();
    const idle = getEnv().SESSION_IDLE_TIMEOUT_SECONDS * 1000;
    await getDb().session.update({ where: { id: issued.sessionId }, data: { lastActiveAt: new Date(Date.now() - idle + minutes(1)) } });
    expect((await checkSession(issued.token)).ok).toBe(true);
    await getDb().session.update({ where: { id: issued.sessionId }, data: { lastActiveAt: new Date(Date.now() - idle - 1000) } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'idle' });
  });

  it('ends a session at its absolute lifetime however active it is', async () => {
    const { issued } = await stateful();
    const row = await getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeCloseTo(getEnv().SESSION_ABSOLUTE_TTL_SECONDS * 1000, -3);
    await getDb().session.update({ where: { id: issued.sessionId }, data: { lastActiveAt: new Date(), expiresAt: new Date(Date.now() - 1) } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('writes "last active" at most once per interval', async () => {
    const { issued } = await stateful();
    const tokenHash = hashSecretId(JSON.parse(Buffer.from(issued.token.split('.')[1], 'base64url').toString()).sid);
    const created = (await getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } })).lastActiveAt;
    await MODES.stateful.recordActivity(tokenHash, new Date(created.getTime() + 30_000));
    expect((await getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } })).lastActiveAt).toEqual(created);
    const later = new Date(created.getTime() + 61_000);
    await MODES.stateful.recordActivity(tokenHash, later);
    expect((await getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } })).lastActiveAt).toEqual(later);
  });
});

describe('listing and counting', () => {
  it('lists live sessions, keeps revoked stateless ones (their tokens still work), hides revoked stateful ones', async () => {
    const user = await createTestUser();
    const live = await createSession(user, 'stateful', CLIENT);
    const killed = await createSession(user, 'stateful', CLIENT);
    const statelessKilled = await createSession(user, 'stateless', CLIENT);
    await revokeSession(user.id, killed.sessionId, 'signed-out-by-other-device');
    await revokeSession(user.id, statelessKilled.sessionId, 'signed-out-by-other-device');
    const ids = (await listSessions(user.id)).map((s) => s.id).sort();
    expect(ids).toEqual([live.sessionId, statelessKilled.sessionId].sort());
  });

  it("cannot revoke another user's session (IDOR), nor a session that does not exist", async () => {
    const { issued } = await stateful();
    const bob = await createTestUser('Bob');
    expect(await revokeSession(bob.id, issued.sessionId, 'signed-out-by-other-device')).toBe(false);
    expect(await revokeSession(bob.id, 'AAAAAAAAAAAAAAAAAAAAAA', 'signed-out-by-other-device')).toBe(false);
    expect((await checkSession(issued.token)).ok).toBe(true);
  });

  it('signs out all other sessions but keeps the current one', async () => {
    const user = await createTestUser();
    const current = await createSession(user, 'stateful', CLIENT);
    const other = await createSession(user, 'stateful', CLIENT);
    const currentCheck = await checkSession(current.token);
    if (!currentCheck.ok) throw new Error('expected a valid session');
    expect(await revokeOtherSessions(user.id, currentCheck.session.tokenHash, 'signed-out-by-other-device')).toBe(1);
    expect((await checkSession(current.token)).ok).toBe(true);
    expect(await checkSession(other.token)).toEqual({ ok: false, reason: 'revoked', revokedReason: 'signed-out-by-other-device' });
  });

  it('counts users with a live stateful session, once each', async () => {
    const before = await countActiveStatefulUsers();
    const user = await createTestUser();
    await createSession(user, 'stateful', CLIENT);
    await createSession(user, 'stateful', CLIENT);
    await createSession(await createTestUser(), 'stateless', CLIENT);
    expect(await countActiveStatefulUsers()).toBe(before + 1);
  });

  it('counts hybrid users by their live rows, and stateless users only as unexpired logins, signed out or not', async () => {
    const [hybridBefore, statelessBefore] = [await countActiveUsers('hybrid'), await countUnexpiredStatelessUsers()];
    const user = await createTestUser();
    const hybrid = await createSession(user, 'hybrid', CLIENT);
    const stateless = await createSession(user, 'stateless', CLIENT);
    expect(await countActiveUsers('hybrid')).toBe(hybridBefore + 1);
    expect(await countUnexpiredStatelessUsers()).toBe(statelessBefore + 1);
    // Signed out: the hybrid user is no longer active; the stateless token still reads, so it still counts as a login.
    await revokeSession(user.id, hybrid.sessionId, 'logout');
    await revokeSession(user.id, stateless.sessionId, 'logout');
    expect(await countActiveUsers('hybrid')).toBe(hybridBefore);
    expect(await countUnexpiredStatelessUsers()).toBe(statelessBefore + 1);
  });
});

describe('clean-up', () => {
  it('deletes expired rows, and revoked or idle rows older than the retention, and nothing else', async () => {
    const user = await createTestUser();
    const now = new Date();
    const make = async (mode: SessionMode) => (await createSession(user, mode, CLIENT)).sessionId;
    const [live, liveStateless, expired, revokedOld, revokedRecent, revokedStateless, idleOld] = await Promise.all([
      make('stateful'),
      make('stateless'),
      make('stateful'),
      make('stateful'),
      make('stateful'),
      make('stateless'),
      make('stateful'),
    ]);
    const update = (id: string, data: object) => getDb().session.update({ where: { id }, data });
    await update(expired, { expiresAt: new Date(now.getTime() - 1000) });
    await update(revokedOld, { revokedAt: new Date(now.getTime() - REVOKED_RETENTION_MS - 1000) });
    await update(revokedRecent, { revokedAt: new Date(now.getTime() - 1000) });
    await update(revokedStateless, { revokedAt: new Date(now.getTime() - REVOKED_RETENTION_MS - 1000) });
    await update(idleOld, { lastActiveAt: new Date(now.getTime() - getEnv().SESSION_IDLE_TIMEOUT_SECONDS * 1000 - REVOKED_RETENTION_MS - 1000) });

    await purgeSessions(now);
    const left = (await getDb().session.findMany({ where: { userId: user.id }, select: { id: true } })).map((r) => r.id).sort();
    // A revoked stateless row goes too: its token lived at most a day, so it expired long before.
    expect(left).toEqual([live, liveStateless, revokedRecent].sort());
    expect(revokedStateless).not.toBe(live);
  });
});

describe('activity bookkeeping', () => {
  it('the stateful check says when "last active" is due: only once it is older than the interval', async () => {
    const { issued } = await stateful();
    const interval = getEnv().SESSION_ACTIVITY_INTERVAL_SECONDS * 1000;
    expect(await checkSession(issued.token)).toMatchObject({ ok: true, activityDue: false });
    await getDb().session.update({ where: { id: issued.sessionId }, data: { lastActiveAt: new Date(Date.now() - interval + 5000) } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: true, activityDue: false });
    await getDb().session.update({ where: { id: issued.sessionId }, data: { lastActiveAt: new Date(Date.now() - interval) } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: true, activityDue: true });
  });

  it('a stateless check never asks for a write', async () => {
    const issued = await createSession(await createTestUser(), 'stateless', CLIENT);
    const result = await checkSession(issued.token);
    expect(result.ok && result.activityDue).toBeFalsy();
  });
});
