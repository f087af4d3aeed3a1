// The second verifier (verifier/server.mjs) as its own process, against a real key set served over
// HTTP: it accepts a service token made for it with nothing but the public keys, refuses what it
// cannot or must not verify with a stable reason (the app's own session tokens among them), and
// follows a key rotation by fetching the set again.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ISSUER = 'jwt-sessions-reference';
const AUDIENCE = 'jwt-sessions-reference:verifier';
const SESSION_AUDIENCE = 'jwt-sessions-reference:web';
const TYP = 'service+jwt';
// Long enough that two requests in a row fall inside it, short enough to wait out.
const COOLDOWN_MS = 1500;
const VERIFIER = path.resolve('verifier/server.mjs');

type Key = { kid: string; privateKey: CryptoKey; jwk: JWK };

async function createKey(kid: string): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

const CLAIMS = { sub: 'user-1', name: 'Alice', role: 'admin', jti: 'jti-1' };

type TokenChanges = { claims?: Record<string, unknown>; header?: Record<string, unknown>; expiresAt?: string | number; audience?: string };

/** A service token as the app's token exchange signs it, with `changes` applied. */
function serviceToken(key: Key, { claims = {}, header = {}, expiresAt = '5m', audience = AUDIENCE }: TokenChanges = {}) {
  return new SignJWT({ ...CLAIMS, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: TYP, kid: key.kid, ...header })
    .setIssuedAt()
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
}

/** The key set the app would publish, served over HTTP; `fetches` counts how often it is asked. */
const published: JWK[] = [];
let fetches = 0;
let jwksServer: Server;
let jwksUrl: string;

type Verifier = { url: string; child: ChildProcess };
const verifiers: Verifier[] = [];

/** Starts the verifier with only the environment given (no secret, no database) on a free port. */
async function startVerifier(env: Record<string, string>): Promise<Verifier> {
  const child = spawn(process.execPath, [VERIFIER], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', VERIFIER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const ready = /ready on (http:\/\/\S+?),/.exec(output);
      if (ready) resolve(ready[1]);
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => reject(new Error(`verifier exited with code ${code}:\n${output}`)));
  });
  const verifier = { url, child };
  verifiers.push(verifier);
  return verifier;
}

function post(verifier: Verifier, body: string) {
  return fetch(`${verifier.url}/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
}

async function verify(verifier: Verifier, token: string) {
  const response = await post(verifier, JSON.stringify({ token }));
  return { status: response.status, body: await response.json() };
}

async function status(verifier: Verifier) {
  return (await (await fetch(`${verifier.url}/`)).json()) as { knownKids: string[]; fresh: boolean; coolingDown: boolean };
}

/** Waits until the verifier may fetch the set again on an unknown kid (polls, no fixed sleep). */
async function untilCooledDown(verifier: Verifier) {
  while ((await status(verifier)).coolingDown) await new Promise((resolve) => setTimeout(resolve, 50));
}

let current: Key;
let unpublished: Key;
let verifier: Verifier;

beforeAll(async () => {
  current = await createKey('key-current');
  unpublished = await createKey('key-unpublished');
  published.push(current.jwk);
  jwksServer = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: published }));
  }).listen(0, '127.0.0.1');
  await once(jwksServer, 'listening');
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  verifier = await startVerifier({ JWKS_URL: jwksUrl, VERIFIER_JWKS_COOLDOWN_MS: String(COOLDOWN_MS) });
});

afterAll(async () => {
  await Promise.all(
    verifiers.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
  jwksServer?.close();
});

describe('the second verifier', () => {
  it('reports its key set, empty until the first token', async () => {
    expect(await (await fetch(`${verifier.url}/healthz`)).text()).toBe('ok');
    expect(await status(verifier)).toEqual({ service: 'second-verifier', jwksUrl, knownKids: [], fresh: false, coolingDown: false });
  });

  it('accepts a service token signed with a published key, and names the key', async () => {
    const { status: code, body } = await verify(verifier, await serviceToken(current));
    expect(code).toBe(200);
    expect(body).toEqual({
      ok: true,
      kid: current.kid,
      claims: { sub: 'user-1', name: 'Alice', role: 'admin', exp: expect.any(Number), iat: expect.any(Number) },
    });
    expect(await status(verifier)).toMatchObject({ knownKids: [current.kid], fresh: true });
  });

  it.each([
    ['a stateless HS256 token (it has no secret)', () => signHs256('session-stateless+jwt'), 'algorithm'],
    ['a stateful HS256 token', () => signHs256('session-stateful+jwt'), 'algorithm'],
    ['an expired token', () => serviceToken(current, { expiresAt: Math.floor(Date.now() / 1000) - 60 }), 'expired'],
    ['a token signed by another key under a published kid', () => serviceToken({ ...unpublished, kid: current.kid }), 'signature'],
    [
      "the app's own hybrid session token, signed with the same key",
      () => serviceToken(current, { header: { typ: 'session-hybrid+jwt' }, audience: SESSION_AUDIENCE, claims: { mode: 'hybrid', sid: 'sid-1' } }),
      'type',
    ],
    ['a service token for the app itself (its session audience)', () => serviceToken(current, { audience: SESSION_AUDIENCE }), 'audience'],
    ['a token for another audience', () => serviceToken(current, { audience: 'someone-else' }), 'audience'],
    ['a token without jti', () => serviceToken(current, { claims: { jti: undefined } }), 'claims'],
    ['a token that points at its own key set', () => serviceToken(current, { header: { jku: 'https://attacker.example/jwks.json' } }), 'header'],
    ['a token without kid', () => serviceToken({ ...current, kid: undefined as unknown as string }), 'header'],
    ['something that is not a JWT', async () => 'not.a.jwt', 'malformed'],
  ])('refuses %s: %s', async (_name, token, reason) => {
    const { status: code, body } = await verify(verifier, await token());
    expect(code).toBe(401);
    expect(body).toMatchObject({ ok: false, reason });
    expect(body.message).toEqual(expect.any(String));
  });

  it('refuses an unknown kid after asking the key set again, but asks at most once per cooldown', async () => {
    await untilCooledDown(verifier);
    const before = fetches;
    expect((await verify(verifier, await serviceToken(unpublished))).body).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(fetches).toBe(before + 1);
    // A flood of made-up kids within the cooldown costs the app nothing.
    expect((await verify(verifier, await serviceToken(unpublished))).body).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(fetches).toBe(before + 1);
  });

  it('follows a key rotation: a kid published after its first fetch is picked up on sight', async () => {
    const next = await createKey('key-next');
    published.push(next.jwk); // the app publishes the next key before it signs with it
    await untilCooledDown(verifier);
    const { status: code, body } = await verify(verifier, await serviceToken(next));
    expect(code).toBe(200);
    expect(body).toMatchObject({ ok: true, kid: next.kid });
    expect((await status(verifier)).knownKids).toEqual([current.kid, next.kid]);
    // Tokens of the key before it still verify: it stays published until they have expired.
    expect((await verify(verifier, await serviceToken(current))).status).toBe(200);
  });

  it.each([
    ['a body that is not JSON', '{"token": ', 400],
    ['JSON without a token', '{"jwt": "a.b.c"}', 400],
    ['an empty token', '{"token": ""}', 400],
    ['a body over 8 KiB', JSON.stringify({ token: 'a'.repeat(9 * 1024) }), 400],
  ])('answers %s with %i, not 500', async (_name, body, code) => {
    const response = await post(verifier, body);
    expect(response.status).toBe(code);
    expect(await response.json()).toMatchObject({ ok: false, reason: 'bad-request' });
  });

  it('answers other methods with 405 and other paths with 404', async () => {
    const get = await fetch(`${verifier.url}/verify`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${verifier.url}/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${verifier.url}/keys`)).status).toBe(404);
  });

  it('answers 503 when the key set cannot be fetched, not a refusal of the token', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close(); // nothing listens there now
    const orphan = await startVerifier({ JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    expect(await verify(orphan, await serviceToken(current))).toEqual({
      status: 503,
      body: expect.objectContaining({ ok: false, reason: 'jwks-unavailable' }),
    });
    // An HS256 token is refused before any key is needed.
    expect((await verify(orphan, await signHs256('session-stateless+jwt'))).body).toMatchObject({ reason: 'algorithm' });
  });

  it('refuses to start with an invalid environment, naming the variable', async () => {
    await expect(startVerifier({ VERIFIER_PORT: 'soon', JWKS_URL: jwksUrl })).rejects.toThrow(/code 1[\s\S]*VERIFIER_PORT/);
    await expect(startVerifier({ JWKS_URL: 'ftp://example.com/keys' })).rejects.toThrow(/JWKS_URL/);
  });
});

function signHs256(typ: string) {
  return new SignJWT({ mode: 'stateless', sub: 'user-1', name: 'Alice', role: 'admin', jti: 'jti-1' })
    .setProtectedHeader({ alg: 'HS256', typ })
    .setIssuedAt()
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode('a-secret-the-verifier-never-has-0123456789'));
}
