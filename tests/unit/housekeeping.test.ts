// Idle and absolute timeouts, "last active" throttling, and the clean-up, on a real SQLite file.
import type { SessionMode } from '@/lib/session/modes';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { revokeOtherSessions, revokeSession } from '@/lib/session/04-store';
import { PURGE_BATCH_ROWS, purgeSessions } from '@/lib/session/housekeeping';
import { purgeExpiredCounters } from '@/lib/session/hardening/throttle';
import { checkSession, createSession, listSessions } from '@/lib/session/10-sessions';
import { hashSecretId } from '@/lib/session/01-settings';
import { MODES } from '@/lib/session/modes';
import { ACTIVE_USERS_MAX_AGE_SECONDS, activeUsersFigure, countActiveUsers, countUnexpiredStatelessUsers } from '@/lib/lab/active-users';

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
    const ids = (await listSessions(user.id)).sessions.map((s) => s.id).sort();
    expect(ids).toEqual([live.sessionId, statelessKilled.sessionId].sort());
  });

  it('lists 50 sessions a page, the most recently active first, and says whether more follow', async () => {
    const user = await createTestUser();
    const base = Date.now() - minutes(10);
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) ids.push((await createSession(user, 'stateful', CLIENT)).sessionId);
    // The i-th session was active i seconds after base: the newest is the last.
    await Promise.all(ids.map((id, i) => getDb().session.update({ where: { id }, data: { lastActiveAt: new Date(base + i * 1000) } })));
    const first = await listSessions(user.id);
    expect(first.sessions.map((s) => s.id)).toEqual(ids.slice(1).reverse());
    expect(first.more).toBe(true);
    expect(await listSessions(user.id, { page: 1 })).toEqual({ sessions: [expect.objectContaining({ id: ids[0] })], more: false });
  });

  it("lists one browser's sessions alone", async () => {
    const user = await createTestUser();
    const mine = await createSession(user, 'stateful', CLIENT, { deviceId: 'this-browser' });
    await createSession(user, 'stateless', CLIENT, { deviceId: 'other-browser' });
    expect((await listSessions(user.id, { deviceId: 'this-browser' })).sessions.map((s) => s.id)).toEqual([mine.sessionId]);
  });

  it('lists a signed-out hybrid session for one access lifetime, and one caught reusing its refresh token until purged', async () => {
    const user = await createTestUser();
    const [justOut, longOut, reused] = await Promise.all([0, 1, 2].map(async () => (await createSession(user, 'hybrid', CLIENT)).sessionId));
    const accessTtlMs = getEnv().HYBRID_ACCESS_TTL_SECONDS * 1000;
    const update = (id: string, data: object) => getDb().session.update({ where: { id }, data });
    await update(justOut, { revokedAt: new Date(Date.now() - accessTtlMs + 60_000), revokedReason: 'logout' });
    await update(longOut, { revokedAt: new Date(Date.now() - accessTtlMs - 1000), revokedReason: 'logout' });
    await update(reused, { revokedAt: new Date(Date.now() - accessTtlMs - 1000), revokedReason: 'refresh-reused' });
    expect((await listSessions(user.id)).sessions.map((s) => s.id).sort()).toEqual([justOut, reused].sort());
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
    const before = await countActiveUsers('stateful');
    const user = await createTestUser();
    await createSession(user, 'stateful', CLIENT);
    await createSession(user, 'stateful', CLIENT);
    await createSession(await createTestUser(), 'stateless', CLIENT);
    expect(await countActiveUsers('stateful')).toBe(before + 1);
  });

  it("keeps the devices page's count as a figure, recounted once it is a minute old", async () => {
    const start = new Date(Date.now() + 3600 * 1000);
    const first = await activeUsersFigure('stateful', start);
    expect(first.countedAt).toEqual(start);
    const user = await createTestUser();
    await createSession(user, 'stateful', CLIENT);
    const soon = new Date(start.getTime() + (ACTIVE_USERS_MAX_AGE_SECONDS - 1) * 1000);
    expect(await activeUsersFigure('stateful', soon)).toEqual(first);
    const later = new Date(start.getTime() + ACTIVE_USERS_MAX_AGE_SECONDS * 1000);
    expect((await activeUsersFigure('stateful', later)).countedAt).toEqual(later);
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

  it('deletes a batch at a time, never the whole table in one statement', async () => {
    const user = await createTestUser();
    const now = new Date();
    const rows = PURGE_BATCH_ROWS * 2 + 7;
    await getDb().session.createMany({
      data: Array.from({ length: rows }, (_, i) => ({
        id: `purge-${user.id}-${i}`,
        tokenHash: `purge-${user.id}-${i}`,
        userId: user.id,
        mode: 'stateful',
        userAgent: 'test',
        ip: '127.0.0.1',
        expiresAt: new Date(now.getTime() - 1000),
      })),
    });
    const report = await purgeSessions(now);
    expect(report.deleted).toBeGreaterThanOrEqual(rows);
    expect(report.batches).toBeGreaterThanOrEqual(3);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("deletes the throttle's counters an hour after their window ended, and no live one", async () => {
    const now = new Date();
    const keys = { old: `purge-old-${Math.random()}`, recent: `purge-recent-${Math.random()}`, live: `purge-live-${Math.random()}` };
    await getDb().rateLimiterFlexible.createMany({
      data: [
        { key: keys.old, points: 3, expire: new Date(now.getTime() - 3600 * 1000 - 1000) },
        { key: keys.recent, points: 3, expire: new Date(now.getTime() - 1000) },
        { key: keys.live, points: 3, expire: new Date(now.getTime() + 60_000) },
      ],
    });
    await purgeExpiredCounters(now);
    const left = (await getDb().rateLimiterFlexible.findMany({ where: { key: { in: Object.values(keys) } }, select: { key: true } })).map((row) => row.key);
    expect(left.sort()).toEqual([keys.recent, keys.live].sort());
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
