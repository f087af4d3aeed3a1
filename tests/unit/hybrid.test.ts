// Hybrid mode against a real database: the access token is checked with no query, every refresh
// rotates, the predecessor of an unused successor gets that successor again, any other reuse signs
// the whole session out, a write needs the refresh token, the absolute and idle limits hold, and a
// key rotation signs nobody out. Time is injected (the `now` of each call), never slept.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDatabaseKind } from '@/lib/db/adapter';
import { getDb } from '@/lib/db/client';
import { countQueries } from '@/lib/db/query-counter';
import { resetEnvForTests } from '@/lib/env';
import { revokeSession } from '@/lib/session/04-store';
import { authorizeWrite, checkSession, createSession } from '@/lib/session/10-sessions';
import { refreshSession } from '@/lib/session/09-hybrid';
import { randomId } from '@/lib/session/01-settings';
import { GET } from '@/app/.well-known/jwks.json/route';
import { getVerificationKey, listPublishedKeys, purgeRetiredKeys, rotateSigningKeys } from '@/lib/session/08-hybrid-keys';

/** How old a process's copy of the signing keys may grow before it is reloaded (08-hybrid-keys.ts). */
const KEY_SET_MAX_AGE_MS = 30_000;
import { hs256Key } from '@/lib/session/hs256-key';
import { CLIENT, createTestUser, withRefreshCookie } from './helpers';

const ISS = 'jwt-sessions-reference';
const AUD = 'jwt-sessions-reference:web';
const SECOND = 1000;
const IDLE_MS = 30 * 60 * SECOND; // SESSION_IDLE_TIMEOUT_SECONDS' default
const ACCESS_TTL_SECONDS = 300; // HYBRID_ACCESS_TTL_SECONDS' default

function decode(token: string) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(new TextDecoder().decode(base64url.decode(h))), payload: JSON.parse(new TextDecoder().decode(base64url.decode(p))) };
}

async function signIn(options: { notAfter?: Date } = {}) {
  const user = await createTestUser('Hana');
  const issued = await createSession(user, 'hybrid', CLIENT, options);
  return { user, issued, refreshToken: issued.cookies!.refresh! };
}

async function revokedReasonOf(sessionId: string) {
  return (await getDb().session.findUnique({ where: { id: sessionId }, select: { revokedReason: true } }))?.revokedReason;
}

afterEach(() => {
  delete process.env.SIGNING_KEY_PUBLISH_LEAD_SECONDS;
  resetEnvForTests();
});

describe('hybrid sign-in', () => {
  it('issues a short EdDSA access token with a kid, and an opaque 128-bit refresh token with its MAC, stored only as a hash', async () => {
    const { user, issued, refreshToken } = await signIn();
    const { header, payload } = decode(issued.token);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'session-hybrid+jwt', kid: expect.stringMatching(/^[\w-]{22}$/) });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'mode', 'name', 'role', 'sid', 'sub']);
    expect(payload).toMatchObject({ sub: user.id, name: 'Hana', role: 'user', sid: issued.sessionId, iss: ISS, aud: AUD, mode: 'hybrid' });
    expect(payload.exp - payload.iat).toBe(ACCESS_TTL_SECONDS);
    const [id, mac] = refreshToken.split('.');
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(Buffer.from(mac, 'base64url')).toHaveLength(16);
    const stored = await getDb().refreshToken.findMany({ where: { sessionId: issued.sessionId } });
    expect(stored).toHaveLength(1);
    expect(stored[0].hash).not.toContain(id);
    expect(issued.expiresAt.getTime()).toBeGreaterThan(payload.exp * 1000);
  });

  it('dates iat from the same instant as exp, so a renewal on the last millisecond of a second still lives the full lifetime', async () => {
    const { refreshToken } = await signIn();
    const lastMillisecond = new Date(Math.floor(Date.now() / SECOND) * SECOND - 1);
    const refreshed = await refreshSession(refreshToken, lastMillisecond);
    if (!refreshed.ok) throw new Error(`refresh refused: ${refreshed.reason}`);
    const { payload } = decode(refreshed.issued.token);
    expect(payload.iat).toBe(Math.floor(lastMillisecond.getTime() / SECOND));
    expect(payload.exp - payload.iat).toBe(ACCESS_TTL_SECONDS);
  });

  it('checks an access token with zero queries', async () => {
    const { issued } = await signIn();
    await checkSession(issued.token); // loads the key set once
    const { result, queries } = await countQueries(() => checkSession(randomize(issued.token)));
    expect(result).toMatchObject({ ok: false });
    const fresh = await countQueries(() => checkSession(issued.token));
    expect(fresh.result).toMatchObject({ ok: true, session: { mode: 'hybrid', user: { name: 'Hana' } } });
    expect(fresh.queries).toBe(0);
    expect(queries).toBe(0);
  });
});

/** The same token with one signature character changed. */
function randomize(token: string) {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

/** Makes the next statement that touches a session's "last active" fail, as a crash there would. */
async function failSessionTouches() {
  const db = getDb();
  if (getDatabaseKind(process.env.DATABASE_URL!) === 'sqlite') {
    await db.$executeRawUnsafe(`CREATE TRIGGER fail_touch BEFORE UPDATE OF "lastActiveAt" ON "Session" BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    return () => db.$executeRawUnsafe('DROP TRIGGER fail_touch');
  }
  await db.$executeRawUnsafe(`CREATE FUNCTION fail_touch() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(`CREATE TRIGGER fail_touch BEFORE UPDATE OF "lastActiveAt" ON "Session" FOR EACH ROW EXECUTE FUNCTION fail_touch()`);
  return async () => {
    await db.$executeRawUnsafe('DROP TRIGGER fail_touch ON "Session"');
    await db.$executeRawUnsafe('DROP FUNCTION fail_touch()');
  };
}

async function refreshed(refreshToken: string, now: Date) {
  const result = await refreshSession(refreshToken, now);
  if (!result.ok) throw new Error(`refresh refused: ${result.reason}`);
  return result;
}

describe('refresh rotation', () => {
  it('rotates on every refresh: a new access token and a new refresh token', async () => {
    const { issued, refreshToken } = await signIn();
    const now = new Date(Date.now() + 60 * SECOND);
    const first = await refreshed(refreshToken, now);
    expect(first.rotated).toBe(true);
    expect(first.issued.cookies!.refresh).not.toBe(refreshToken);
    expect(decode(first.issued.token).payload.jti).not.toBe(decode(issued.token).payload.jti);
    const second = await refreshSession(first.issued.cookies!.refresh, new Date(now.getTime() + 60 * SECOND));
    expect(second).toMatchObject({ ok: true, rotated: true });
    expect(await getDb().refreshToken.count({ where: { sessionId: issued.sessionId } })).toBe(3);
  });

  it('gives the predecessor the same successor for as long as the successor was never used: a lost response costs nothing', async () => {
    const { issued, refreshToken } = await signIn();
    const now = new Date();
    const first = await refreshed(refreshToken, now);
    // The response never reached the browser; a minute later it presents the old token again.
    const retry = await refreshed(refreshToken, new Date(now.getTime() + 60 * SECOND));
    expect(retry.rotated).toBe(false);
    expect(retry.issued.cookies!.refresh).toBe(first.issued.cookies!.refresh);
    expect(await revokedReasonOf(issued.sessionId)).toBeNull();
    // The family still has exactly one live token, and it works.
    expect(await refreshSession(first.issued.cookies!.refresh, new Date(now.getTime() + 61 * SECOND))).toMatchObject({ ok: true, rotated: true });
  });

  it('lets concurrent refreshes of one token all succeed with one successor, and rotate once', async () => {
    const { issued, refreshToken } = await signIn();
    const results = await Promise.all(Array.from({ length: 5 }, () => refreshSession(refreshToken)));
    expect(results.every((result) => result.ok)).toBe(true);
    const successors = new Set(results.map((result) => result.ok && result.issued.cookies!.refresh));
    expect(successors.size).toBe(1);
    expect(results.filter((result) => result.ok && result.rotated)).toHaveLength(1);
    expect(await getDb().refreshToken.count({ where: { sessionId: issued.sessionId } })).toBe(2);
  });

  it('signs the whole family out when the predecessor comes back after its successor was used', async () => {
    const { issued, refreshToken } = await signIn();
    const now = new Date();
    const first = await refreshed(refreshToken, now);
    const second = await refreshed(first.issued.cookies!.refresh, new Date(now.getTime() + SECOND));
    const replay = await refreshSession(refreshToken, new Date(now.getTime() + 2 * SECOND));
    expect(replay).toEqual({ ok: false, reason: 'revoked', revokedReason: 'refresh-reused' });
    expect(await revokedReasonOf(issued.sessionId)).toBe('refresh-reused');
    // The legitimate holder of the live token is signed out too: the whole family ends.
    expect(await refreshSession(second.issued.cookies!.refresh, new Date(now.getTime() + 3 * SECOND))).toEqual({
      ok: false,
      reason: 'revoked',
      revokedReason: 'refresh-reused',
    });
  });

  it('leaves the family safe when the server fails right after inserting the successor', async () => {
    const { issued, refreshToken } = await signIn();
    const now = new Date();
    const restore = await failSessionTouches();
    try {
      await expect(refreshSession(refreshToken, now)).rejects.toThrow();
    } finally {
      await restore();
    }
    // The successor's row is in, and the browser never learned it: the old token still works…
    expect(await getDb().refreshToken.count({ where: { sessionId: issued.sessionId } })).toBe(2);
    const retry = await refreshed(refreshToken, new Date(now.getTime() + 60 * SECOND));
    expect(retry.rotated).toBe(false);
    // …until its successor is used, after which it is a reuse like any other.
    await refreshed(retry.issued.cookies!.refresh, new Date(now.getTime() + 61 * SECOND));
    expect(await refreshSession(refreshToken, new Date(now.getTime() + 62 * SECOND))).toMatchObject({ ok: false, revokedReason: 'refresh-reused' });
  });

  it('refuses tokens it never issued: a forged or mistyped one without a single query', async () => {
    const { refreshToken } = await signIn();
    const [id, mac] = refreshToken.split('.');
    const forged = [`${randomId()}.${mac}`, `${id}.${randomId()}`, randomId(), 'not a token', `${refreshToken}x`];
    for (const token of forged) {
      const { result, queries } = await countQueries(() => refreshSession(token));
      expect(result, token).toEqual({ ok: false, reason: 'malformed' });
      expect(queries, token).toBe(0);
    }
    expect(await refreshSession(undefined)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('writes', () => {
  async function read(token: string) {
    const result = await checkSession(token);
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    return result.session;
  }

  it('refuses a write from the access token alone, and names the reason', async () => {
    const { issued } = await signIn();
    const session = await read(issued.token);
    expect(await authorizeWrite(session, null)).toEqual({ ok: false, reason: 'refresh-required' });
    expect(await authorizeWrite(session, withRefreshCookie('forged.token'))).toEqual({ ok: false, reason: 'refresh-required' });
    expect(await revokedReasonOf(issued.sessionId)).toBeNull();
  });

  it("refuses a write with another session's refresh token", async () => {
    const mine = await signIn();
    const theirs = await signIn();
    expect(await authorizeWrite(await read(mine.issued.token), withRefreshCookie(theirs.refreshToken))).toEqual({
      ok: false,
      reason: 'refresh-required',
    });
  });

  it('accepts a write with the live refresh token or its predecessor, and then knows the session lasts until the row ends', async () => {
    const { issued, refreshToken } = await signIn();
    const session = await read(issued.token);
    expect(session.expiresAt.getTime()).toBeLessThan(issued.expiresAt.getTime());
    expect(await authorizeWrite(session, withRefreshCookie(refreshToken))).toMatchObject({ ok: true, session: { expiresAt: issued.expiresAt } });
    await refreshed(refreshToken, new Date());
    expect(await authorizeWrite(session, withRefreshCookie(refreshToken))).toMatchObject({ ok: true });
  });

  it('signs the family out when a write shows a refresh token two rotations old', async () => {
    const { issued, refreshToken } = await signIn();
    const first = await refreshed(refreshToken, new Date());
    await refreshed(first.issued.cookies!.refresh, new Date());
    expect(await authorizeWrite(await read(issued.token), withRefreshCookie(refreshToken))).toEqual({
      ok: false,
      reason: 'revoked',
      revokedReason: 'refresh-reused',
    });
    expect(await revokedReasonOf(issued.sessionId)).toBe('refresh-reused');
  });
});

describe('limits', () => {
  it('never extends the absolute end: the access token stops at it, and the refresh after it is refused', async () => {
    const end = new Date(Date.now() + 120 * SECOND);
    const { refreshToken } = await signIn({ notAfter: end });
    const refreshed = await refreshSession(refreshToken, new Date(end.getTime() - 30 * SECOND));
    if (!refreshed.ok) throw new Error(refreshed.reason);
    expect(refreshed.issued.expiresAt).toEqual(end);
    expect(decode(refreshed.issued.token).payload.exp).toBeLessThanOrEqual(Math.floor(end.getTime() / 1000));
    expect(await refreshSession(refreshed.issued.cookies!.refresh, new Date(end.getTime() + SECOND))).toEqual({ ok: false, reason: 'expired' });
  });

  it('ends a session that went without a refresh for the idle limit', async () => {
    const { refreshToken } = await signIn();
    const now = new Date();
    const refreshed = await refreshSession(refreshToken, now);
    if (!refreshed.ok) throw new Error(refreshed.reason);
    expect(await refreshSession(refreshed.issued.cookies!.refresh, new Date(now.getTime() + IDLE_MS + SECOND))).toEqual({ ok: false, reason: 'idle' });
  });

  it('after a sign-out, the access token still reads but cannot act, and the refresh is refused with the reason', async () => {
    const { user, issued, refreshToken } = await signIn();
    await revokeSession(user.id, issued.sessionId, 'signed-out-by-other-device');
    const read = await checkSession(issued.token);
    expect(read).toMatchObject({ ok: true });
    if (!read.ok) throw new Error('refused');
    expect(await authorizeWrite(read.session, withRefreshCookie(refreshToken))).toMatchObject({
      ok: false,
      reason: 'revoked',
      revokedReason: 'signed-out-by-other-device',
    });
    expect(await refreshSession(refreshToken)).toEqual({ ok: false, reason: 'revoked', revokedReason: 'signed-out-by-other-device' });
  });

  it('confirms a live session for a write with the row, including its real end', async () => {
    const { issued, refreshToken } = await signIn();
    const read = await checkSession(issued.token);
    if (!read.ok) throw new Error('refused');
    const confirmed = await authorizeWrite(read.session, withRefreshCookie(refreshToken));
    expect(confirmed).toMatchObject({ ok: true, session: { expiresAt: issued.expiresAt, deviceId: expect.any(String) } });
  });
});

describe('signing keys', () => {
  it('keeps old tokens valid across a rotation, signs new ones with the new key, and publishes it before it signs', async () => {
    process.env.SIGNING_KEY_PUBLISH_LEAD_SECONDS = '0';
    resetEnvForTests();
    const { issued, refreshToken } = await signIn();
    const oldKid = decode(issued.token).header.kid;
    const before = await listPublishedKeys();
    const next = before.find((key) => key.stage === 'next');
    expect(next).toBeDefined();
    expect(before.find((key) => key.stage === 'current')?.kid).toBe(oldKid);

    const rotation = await rotateSigningKeys();
    expect(rotation).toMatchObject({ ok: true, activated: next!.kid });
    expect(await checkSession(issued.token)).toMatchObject({ ok: true });
    const refreshed = await refreshSession(refreshToken);
    if (!refreshed.ok) throw new Error(refreshed.reason);
    expect(decode(refreshed.issued.token).header.kid).toBe(next!.kid);
    expect(await checkSession(refreshed.issued.token)).toMatchObject({ ok: true });

    const after = await listPublishedKeys();
    expect(after.map((key) => [key.kid, key.stage])).toEqual(
      expect.arrayContaining([
        [oldKid, 'previous'],
        [next!.kid, 'current'],
      ]),
    );
    // The retired key leaves the set once the last token it signed has expired: one access lifetime
    // after the last instance can have signed with it (its copy of the set is at most 30 s old).
    const stillNeeded = await listPublishedKeys(new Date(Date.now() + (ACCESS_TTL_SECONDS + 30) * SECOND));
    expect(stillNeeded.map((key) => key.kid)).toContain(oldKid);
    const later = await listPublishedKeys(new Date(Date.now() + (ACCESS_TTL_SECONDS + 70) * SECOND));
    expect(later.map((key) => key.kid)).not.toContain(oldKid);
  });

  it('ignores a key written into the table by anyone but this server: never published, never trusted', async () => {
    const { user, issued } = await signIn();
    const kid = randomId();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
    await getDb().signingKey.create({
      data: { kid, publicJwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' }), activatedAt: new Date() },
    });
    expect((await listPublishedKeys()).map((key) => key.kid)).not.toContain(kid);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({
      sub: user.id,
      name: 'Eve',
      role: 'admin',
      sid: issued.sessionId,
      jti: randomId(),
      mode: 'hybrid',
      iat: now,
      exp: now + 60,
      iss: ISS,
      aud: AUD,
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'session-hybrid+jwt', kid })
      .sign(privateKey);
    expect(await checkSession(forged)).toEqual({ ok: false, reason: 'unknown-key' });
    await getDb().signingKey.delete({ where: { kid } });
  });

  it('serves the JWKS from memory, cacheable for the lead time less the age of that copy', async () => {
    await GET();
    const { result, queries } = await countQueries(() => GET());
    expect(queries).toBe(0);
    expect(result.headers.get('cache-control')).toBe('public, max-age=30');
    const { keys } = (await result.json()) as { keys: { kid: string; x: string; d?: string }[] };
    expect(keys.map((key) => key.kid)).toEqual((await listPublishedKeys()).map((key) => key.kid));
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('deletes a retired key once no token it signed can be alive, and an instance that only verifies forgets it within the age of its copy', async () => {
    process.env.SIGNING_KEY_PUBLISH_LEAD_SECONDS = '0';
    resetEnvForTests();
    const { issued } = await signIn();
    const oldKid = decode(issued.token).header.kid;
    expect(await getVerificationKey(oldKid)).toBeDefined();
    await rotateSigningKeys();
    expect(await purgeRetiredKeys(new Date(Date.now() + (ACCESS_TTL_SECONDS + 30) * SECOND))).toBe(0);
    expect(await purgeRetiredKeys(new Date(Date.now() + (ACCESS_TTL_SECONDS + 70) * SECOND))).toBeGreaterThan(0);
    expect(await getDb().signingKey.count({ where: { kid: oldKid } })).toBe(0);
    // This process still holds its copy; once that copy is past its age, the next verification reloads it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + KEY_SET_MAX_AGE_MS + SECOND);
      await getVerificationKey(oldKid);
      await vi.waitFor(async () => expect(await getVerificationKey(oldKid)).toBeUndefined());
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to rotate to a key that has not been published for the lead time', async () => {
    await listPublishedKeys();
    expect(await rotateSigningKeys()).toMatchObject({ ok: false, reason: 'too-soon', waitSeconds: expect.any(Number) });
  });
});

describe('hostile access tokens', () => {
  async function claims() {
    const { user, issued } = await signIn();
    const now = Math.floor(Date.now() / 1000);
    return {
      kid: decode(issued.token).header.kid as string,
      claims: { sub: user.id, name: 'Eve', role: 'admin', sid: issued.sessionId, jti: randomId(), mode: 'hybrid', iat: now, exp: now + 60, iss: ISS, aud: AUD },
    };
  }
  const { privateKey: attackerKey, publicKey: attackerPublic } = generateKeyPairSync('ed25519');

  it('refuses a kid that is not in the published set', async () => {
    const { claims: payload } = await claims();
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'session-hybrid+jwt', kid: randomId() }).sign(attackerKey);
    expect(await checkSession(token)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('refuses a published kid with a signature from another key', async () => {
    const { kid, claims: payload } = await claims();
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'session-hybrid+jwt', kid }).sign(attackerKey);
    expect(await checkSession(token)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a key embedded in the header (jwk), even one that matches the signature', async () => {
    const { kid, claims: payload } = await claims();
    const jwk = attackerPublic.export({ format: 'jwk' });
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'session-hybrid+jwt', kid, jwk }).sign(attackerKey);
    expect(await checkSession(token)).toEqual({ ok: false, reason: 'header' });
  });

  it('refuses alg none with a kid, and HS256 under the hybrid type (the secret is no hybrid key)', async () => {
    const { kid, claims: payload } = await claims();
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'session-hybrid+jwt', kid }))}.${base64url.encode(JSON.stringify(payload))}.`;
    expect(await checkSession(none)).toEqual({ ok: false, reason: 'header' });
    expect(await checkSession(`${none}AAAA`)).toEqual({ ok: false, reason: 'header' });
    const hs = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'session-hybrid+jwt', kid }).sign(await hs256Key());
    expect(await checkSession(hs)).toEqual({ ok: false, reason: 'header' });
  });

  it('refuses EdDSA under a stateless type: each mode accepts only its own algorithm', async () => {
    const { kid, claims: payload } = await claims();
    const token = await new SignJWT({ ...payload, mode: 'stateless' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'session-stateless+jwt', kid })
      .sign(attackerKey);
    expect(await checkSession(token)).toEqual({ ok: false, reason: 'header' });
  });
});
