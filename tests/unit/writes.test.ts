// "Stateless for reads, the row for writes", on a real SQLite file: a stateless token keeps
// reading after its row is revoked, but authorizeWrite refuses it; re-issuing a session
// never extends it; a password change ends every older session, even one whose row it missed.
import type { SessionMode } from '@/lib/session/modes';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { revokeSession } from '@/lib/session/04-store';
import { type Session } from '@/lib/session/05-session';
import { authorizeWrite, checkSession, createSession } from '@/lib/session/10-sessions';
import { hashPassword } from '@/lib/session/accounts';
import { changePassword, reissueSession } from '@/lib/session/reissue';
import { CLIENT, createTestUser } from './helpers';

async function signIn(mode: SessionMode, user?: Awaited<ReturnType<typeof createTestUser>>) {
  const owner = user ?? (await createTestUser());
  const issued = await createSession(owner, mode, CLIENT);
  const result = await checkSession(issued.token);
  if (!result.ok) throw new Error(`fresh ${mode} session refused: ${result.reason}`);
  return { user: owner, issued, session: result.session };
}

describe('a stateless session', () => {
  it('may act while its row is alive, and learns its device id from the row', async () => {
    const { session, issued } = await signIn('stateless');
    expect(session.deviceId).toBeNull();
    const confirmed = await authorizeWrite(session, null);
    const row = await getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } });
    expect(confirmed).toMatchObject({ ok: true, session: { deviceId: row.deviceId } });
    expect(row.deviceId).toMatch(/^[\w-]{22}$/);
  });

  it('keeps reading after it was signed out, but may no longer act', async () => {
    const { user, issued, session } = await signIn('stateless');
    await revokeSession(user.id, issued.sessionId, 'signed-out-by-other-device');
    expect((await checkSession(issued.token)).ok).toBe(true);
    expect(await authorizeWrite(session, null)).toEqual({ ok: false, reason: 'revoked', revokedReason: 'signed-out-by-other-device' });
  });

  it('may not act once its row is gone or its user disabled', async () => {
    const gone = await signIn('stateless');
    await getDb().session.delete({ where: { id: gone.issued.sessionId } });
    expect(await authorizeWrite(gone.session, null)).toEqual({ ok: false, reason: 'unknown-session' });

    const disabled = await signIn('stateless');
    await getDb().user.update({ where: { id: disabled.user.id }, data: { disabledAt: new Date() } });
    expect(await authorizeWrite(disabled.session, null)).toEqual({ ok: false, reason: 'user-disabled' });
  });

  it("may not act with another user's row (a jti that belongs to someone else)", async () => {
    const mine = await signIn('stateless');
    const theirs = await signIn('stateless');
    const forged: Session = { ...mine.session, tokenHash: theirs.session.tokenHash };
    expect(await authorizeWrite(forged, null)).toEqual({ ok: false, reason: 'unknown-session' });
  });
});

describe('a password change', () => {
  async function userWithPassword() {
    const user = await createTestUser();
    await getDb().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword('old-password') } });
    return user;
  }
  const PASSWORDS = { current: 'old-password', next: 'new-password' };

  it('ends every other session created before it, in both modes, even where no row was revoked', async () => {
    const user = await userWithPassword();
    const stateless = await signIn('stateless', user);
    const stateful = await signIn('stateful', user);
    const here = await signIn('stateful', user);
    const changed = await changePassword(here.session, PASSWORDS, CLIENT);
    expect(changed).toMatchObject({ signedOut: 2, issued: { sessionId: expect.any(String) } });

    expect(await authorizeWrite(stateless.session, null)).toEqual({ ok: false, reason: 'revoked', revokedReason: 'password-changed' });
    expect(await checkSession(stateful.issued.token)).toEqual({ ok: false, reason: 'revoked', revokedReason: 'password-changed' });
    // A row the revocation missed is refused all the same, by the stamp.
    await getDb().session.updateMany({ where: { id: stateful.issued.sessionId }, data: { revokedAt: null } });
    expect(await checkSession(stateful.issued.token)).toEqual({ ok: false, reason: 'password-changed' });
    // This browser goes on with its successor; a session started after the change may act.
    expect((await checkSession(changed!.issued!.token)).ok).toBe(true);
    const fresh = await signIn('stateless', user);
    expect((await authorizeWrite(fresh.session, null)).ok).toBe(true);
  });

  it('also ends a session re-issued after the change from one signed in before it (the race)', async () => {
    const user = await userWithPassword();
    const { session, issued } = await signIn('stateless', user);
    const confirmed = await authorizeWrite(session, null);
    if (!confirmed.ok) throw new Error('not confirmed');
    // The password changes on another device between this device's check and its re-issue, and
    // the revocation of the other sessions misses this one's row.
    await changePassword((await signIn('stateful', user)).session, PASSWORDS, CLIENT);
    await getDb().session.updateMany({ where: { id: issued.sessionId }, data: { revokedAt: null } });
    const successor = (await reissueSession(confirmed.session, 'stateful', CLIENT, 'mode-switch'))!;
    expect(await checkSession(successor.token)).toEqual({ ok: false, reason: 'password-changed' });
  });

  it("never refuses the changing browser's own requests in flight as 'password changed': they pass, or meet its successor", async () => {
    const user = await userWithPassword();
    const { issued } = await signIn('stateful', user);
    const confirmed = await checkSession(issued.token);
    if (!confirmed.ok) throw new Error('refused');
    const seen = new Set<string>();
    let done = false;
    const inFlight = (async () => {
      while (!done) {
        const check = await checkSession(issued.token);
        seen.add(check.ok ? 'ok' : `${check.reason}:${check.revokedReason ?? ''}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await changePassword(confirmed.session, PASSWORDS, CLIENT);
    done = true;
    await inFlight;
    expect([...seen].filter((outcome) => outcome !== 'ok')).toEqual(['revoked:password-changed-here']);
  });

  it('changes nothing when the current password is wrong', async () => {
    const user = await userWithPassword();
    const { session } = await signIn('stateless', user);
    expect(await changePassword(session, { current: 'not-the-password', next: 'new-password' }, CLIENT)).toBeNull();
    expect((await authorizeWrite(session, null)).ok).toBe(true);
  });
});

describe('re-issuing a session', () => {
  it.each([
    ['stateless', 'stateful'],
    ['stateful', 'stateless'],
    ['stateful', 'stateful'],
  ] as const)('from %s to %s never ends later than the session it replaces, and keeps the browser', async (from, to) => {
    const { session, issued } = await signIn(from);
    const confirmed = await authorizeWrite(session, null);
    if (!confirmed.ok) throw new Error('not confirmed');
    const next = (await reissueSession(confirmed.session, to, CLIENT, 'mode-switch'))!;
    expect(next.expiresAt.getTime()).toBeLessThanOrEqual(issued.expiresAt.getTime());

    const [oldRow, newRow] = await Promise.all([
      getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } }),
      getDb().session.findUniqueOrThrow({ where: { id: next.sessionId } }),
    ]);
    expect(oldRow).toMatchObject({ revokedReason: 'mode-switch' });
    expect(newRow).toMatchObject({ mode: to, deviceId: oldRow.deviceId, revokedAt: null });
    expect(newRow.expiresAt.getTime()).toBe(next.expiresAt.getTime());
  });

  it('yields one successor when two re-issues of the same session race', async () => {
    const { session } = await signIn('stateless');
    const confirmed = await authorizeWrite(session, null);
    if (!confirmed.ok) throw new Error('not confirmed');
    const results = await Promise.all([
      reissueSession(confirmed.session, 'stateful', CLIENT, 'mode-switch'),
      reissueSession(confirmed.session, 'stateful', CLIENT, 'mode-switch'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a short session switched back and forth keeps its original end', async () => {
    const { session, issued } = await signIn('stateless');
    let current = session;
    for (const mode of ['stateful', 'stateless', 'stateful'] as const) {
      const confirmed = await authorizeWrite(current, null);
      if (!confirmed.ok) throw new Error('not confirmed');
      const next = (await reissueSession(confirmed.session, mode, CLIENT, 'mode-switch'))!;
      const verified = await checkSession(next.token);
      if (!verified.ok) throw new Error(`re-issued ${mode} session refused: ${verified.reason}`);
      current = verified.session;
    }
    // The token's exp is whole seconds; the row keeps milliseconds.
    expect(current.expiresAt.getTime()).toBeLessThanOrEqual(issued.expiresAt.getTime());
    expect(current.expiresAt.getTime()).toBeGreaterThan(issued.expiresAt.getTime() - 1000);
  });
});
