// The session module against a real SQLite file: both modes sign and verify, and every kind of
// bad token or dead row is rejected.
import { SignJWT, base64url } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { revokeSession } from '@/lib/session/04-store';
import { checkSession, createSession } from '@/lib/session/10-sessions';
import { hs256Key } from '@/lib/session/hs256-key';
import { randomId } from '@/lib/session/01-settings';
import { MODES } from '@/lib/session/modes';

const TOKEN_TYPES = { stateless: MODES.stateless.token.typ, stateful: MODES.stateful.token.typ };
import { CLIENT, createTestUser } from './helpers';

const ISS = 'jwt-sessions-reference';
const AUD = 'jwt-sessions-reference:web';

function parts(token: string) {
  const [h, p, s] = token.split('.');
  return { header: JSON.parse(Buffer.from(base64url.decode(h)).toString()), payload: JSON.parse(Buffer.from(base64url.decode(p)).toString()), h, p, s };
}

function encode(value: unknown) {
  return base64url.encode(JSON.stringify(value));
}

async function sign(header: Record<string, unknown>, claims: Record<string, unknown>, key: CryptoKey | Uint8Array) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header } as { alg: string }).sign(key);
}

function statelessClaims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'u1', name: 'Eve', role: 'admin', mode: 'stateless', jti: randomId(), iat: now, exp: now + 60, iss: ISS, aud: AUD, ...overrides };
}

afterEach(() => {
  delete process.env.SESSION_MODES;
  delete process.env.SESSION_MODE;
  resetEnvForTests();
});

describe.each(['stateless', 'stateful'] as const)('%s mode', (mode) => {
  it('signs a token that verifies, with the claims of its mode', async () => {
    const user = await createTestUser('Alice');
    const issued = await createSession(user, mode, CLIENT);
    const { header, payload } = parts(issued.token);
    expect(header).toEqual({ alg: 'HS256', typ: TOKEN_TYPES[mode] });
    expect(payload).toMatchObject({ mode, iss: ISS, aud: AUD });
    expect(payload.exp).toBeGreaterThan(payload.iat);
    if (mode === 'stateless') expect(payload).toMatchObject({ sub: user.id, name: 'Alice', role: 'user', jti: expect.stringMatching(/^[\w-]{22}$/) });
    else expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'mode', 'sid']);

    const result = await checkSession(issued.token);
    expect(result.ok && result.session).toMatchObject({ mode, user: { id: user.id, name: 'Alice' } });
  });

  it('rejects a token whose payload was edited', async () => {
    const issued = await createSession(await createTestUser(), mode, CLIENT);
    const { h, payload, s } = parts(issued.token);
    const forged = `${h}.${encode({ ...payload, role: 'admin', sub: 'someone-else' })}.${s}`;
    expect(await checkSession(forged)).toMatchObject({ ok: false, reason: 'signature' });
  });

  it('rejects a token signed with another key', async () => {
    const issued = await createSession(await createTestUser(), mode, CLIENT);
    const { header, payload } = parts(issued.token);
    const forged = await sign(header, payload, new TextEncoder().encode('another-key-of-at-least-32-bytes-long!!'));
    expect(await checkSession(forged)).toMatchObject({ ok: false, reason: 'signature' });
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s at the header, with or without a signature', async (alg) => {
    const issued = await createSession(await createTestUser(), mode, CLIENT);
    const { payload, s } = parts(issued.token);
    const h = encode({ alg, typ: TOKEN_TYPES[mode] });
    expect(await checkSession(`${h}.${encode(payload)}.`)).toEqual({ ok: false, reason: 'header' });
    expect(await checkSession(`${h}.${encode(payload)}.${s}`)).toEqual({ ok: false, reason: 'header' });
  });

  it("rejects the other mode's typ (no mode confusion)", async () => {
    const issued = await createSession(await createTestUser(), mode, CLIENT);
    const { header, payload } = parts(issued.token);
    const other = mode === 'stateless' ? 'stateful' : 'stateless';
    const swapped = await sign({ ...header, typ: TOKEN_TYPES[other] }, payload, await hs256Key());
    // Signed with the right key, but its claims are not the other mode's claims.
    expect(await checkSession(swapped)).toEqual({ ok: false, reason: 'claims' });
    const wrongTyp = await sign({ ...header, typ: 'JWT' }, payload, await hs256Key());
    expect(await checkSession(wrongTyp)).toMatchObject({ ok: false, reason: 'header' });
  });

  it('rejects an expired token', async () => {
    const issued = await createSession(await createTestUser(), mode, CLIENT);
    const { header, payload } = parts(issued.token);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign(header, { ...payload, iat: now - 120, exp: now - 60 }, await hs256Key());
    expect(await checkSession(expired)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('rejects a token when its mode is switched off by SESSION_MODES', async () => {
    const issued = await createSession(await createTestUser(), mode, CLIENT);
    process.env.SESSION_MODES = mode === 'stateless' ? 'stateful' : 'stateless';
    process.env.SESSION_MODE = process.env.SESSION_MODES;
    resetEnvForTests();
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'header' });
  });
});

describe('token rules', () => {
  it('accepts a signature only as it was written: the spare bits of its last character count', async () => {
    const issued = await createSession(await createTestUser(), 'stateless', CLIENT);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = issued.token.at(-1)!;
    // 43 characters carry 258 bits for a 256-bit HMAC: flipping the lowest bit keeps the bytes.
    const respelled = issued.token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(respelled.split('.')[2], 'base64url')).toEqual(Buffer.from(issued.token.split('.')[2], 'base64url'));
    expect(await checkSession(respelled)).toEqual({ ok: false, reason: 'malformed' });
  });

  const future = Math.floor(Date.now() / 1000) + 3600;
  const { exp: _exp, ...noExp } = statelessClaims();
  const { iat: _iat, ...noIat } = statelessClaims();
  const { iss: _iss, ...noIss } = statelessClaims();
  const { aud: _aud, ...noAud } = statelessClaims();
  it.each([
    ['no exp', noExp],
    ['no iat', noIat],
    ['no iss', noIss],
    ['no aud', noAud],
    ['exp as a string', statelessClaims({ exp: String(future) })],
    ['another issuer', statelessClaims({ iss: 'evil' })],
    ['another audience', statelessClaims({ aud: 'other' })],
    ['nbf in the future', statelessClaims({ nbf: future })],
    ['a short jti', statelessClaims({ jti: 'short' })],
    ['a numeric sub', statelessClaims({ sub: 42 })],
    ['the other mode in a stateless token', statelessClaims({ mode: 'stateful' })],
  ])('rejects %s as bad claims', async (_case, claims) => {
    expect(await checkSession(await sign({ typ: TOKEN_TYPES.stateless }, claims, await hs256Key()))).toEqual({ ok: false, reason: 'claims' });
  });

  it('accepts the same claims when nothing is wrong', async () => {
    expect((await checkSession(await sign({ typ: TOKEN_TYPES.stateless }, statelessClaims(), await hs256Key()))).ok).toBe(true);
  });

  it.each([
    ['kid with a path', { kid: '../../../../dev/null' }],
    ['kid with SQL', { kid: "' OR 1=1 --" }],
    ['jku', { jku: 'https://evil.example/jwks.json' }],
    ['x5u', { x5u: 'https://evil.example/cert' }],
    ['jwk', { jwk: { kty: 'oct', k: 'AAAA' } }],
    ['x5c', { x5c: ['MIIB'] }],
    ['crit', { crit: ['exp'] }],
  ])('refuses a header with %s before looking at the key', async (_case, extra) => {
    const { p, s } = parts(await sign({ typ: TOKEN_TYPES.stateless }, statelessClaims(), await hs256Key()));
    expect(await checkSession(`${encode({ alg: 'HS256', typ: TOKEN_TYPES.stateless, ...extra })}.${p}.${s}`)).toEqual({ ok: false, reason: 'header' });
  });

  it('refuses a 10 KB kid as malformed: no token of this app is that long', async () => {
    const { p, s } = parts(await sign({ typ: TOKEN_TYPES.stateless }, statelessClaims(), await hs256Key()));
    expect(await checkSession(`${encode({ alg: 'HS256', typ: TOKEN_TYPES.stateless, kid: 'x'.repeat(10_000) })}.${p}.${s}`)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it.each(['RS256', 'ES256', 'EdDSA', 'HS384', 'HS512'])('rejects an %s header on an HMAC-signed token (algorithm confusion)', async (alg) => {
    const good = await sign({ typ: TOKEN_TYPES.stateless }, statelessClaims(), await hs256Key());
    const { p, s } = parts(good);
    expect(await checkSession(`${encode({ alg, typ: TOKEN_TYPES.stateless })}.${p}.${s}`)).toEqual({ ok: false, reason: 'header' });
  });

  const statelessHeader = encode({ alg: 'HS256', typ: TOKEN_TYPES.stateless });
  it.each([
    ['nothing', undefined, 'missing'],
    ['null', null, 'missing'],
    ['an empty string', '', 'missing'],
    ['one segment', 'abc', 'malformed'],
    ['two segments', 'a.b', 'malformed'],
    ['four segments', 'a.b.c.d', 'malformed'],
    ['bad base64url', '!!!.@@@.###', 'malformed'],
    ['a string header and an array payload', `${encode('x')}.${encode([])}.sig`, 'malformed'],
    ['a numeric payload', `${statelessHeader}.${encode(123)}.sig`, 'signature'],
    ['a non-JSON payload', `${statelessHeader}.bm90IGpzb24.sig`, 'signature'],
    ['20 KB', 'x'.repeat(20_000), 'malformed'],
  ])('never throws on %s: it is refused as %s', async (_case, input, reason) => {
    expect(await checkSession(input as string)).toEqual({ ok: false, reason });
  });
});

describe('stateful rows', () => {
  async function issueStateful() {
    const user = await createTestUser();
    const issued = await createSession(user, 'stateful', CLIENT);
    return { user, issued };
  }

  it('stores a SHA-256 of the session id, never the id itself', async () => {
    const { issued } = await issueStateful();
    const sid = parts(issued.token).payload.sid as string;
    const row = await getDb().session.findUniqueOrThrow({ where: { id: issued.sessionId } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(sid);
  });

  it('rejects a revoked session at once, and a replay of its cookie', async () => {
    const { user, issued } = await issueStateful();
    expect((await checkSession(issued.token)).ok).toBe(true);
    expect(await revokeSession(user.id, issued.sessionId, 'logout')).toBe(true);
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'revoked', revokedReason: 'logout' });
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('rejects a row past its expiry even while the token is unexpired', async () => {
    const { issued } = await issueStateful();
    await getDb().session.update({ where: { id: issued.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('rejects a session whose row is gone', async () => {
    const { issued } = await issueStateful();
    await getDb().session.delete({ where: { id: issued.sessionId } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'unknown-session' });
  });

  it('rejects every session of a disabled user', async () => {
    const { user, issued } = await issueStateful();
    await getDb().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await checkSession(issued.token)).toMatchObject({ ok: false, reason: 'user-disabled' });
  });

  it('a stateless token stays valid after its row is revoked (the article\'s "revocation is difficult")', async () => {
    const user = await createTestUser();
    const issued = await createSession(user, 'stateless', CLIENT);
    await revokeSession(user.id, issued.sessionId, 'signed-out-by-other-device');
    expect((await checkSession(issued.token)).ok).toBe(true);
  });
});
