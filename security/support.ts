// What the attack specs share: the server's signing key (derived from SESSION_SECRET exactly as
// lib/session/keys.ts does, so a spec can sign tokens that pass the signature and must fail on a
// claim), token surgery, the server actions of the build, and the exact refusals to expect.
import { createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadEnvConfig } from '@next/env';
import { type APIRequestContext, type APIResponse, expect } from '@playwright/test';
import { base64url } from 'jose';
import { SESSION_COOKIE } from '../e2e/fixtures';

const ISSUER = 'jwt-sessions-reference';
const AUDIENCE = 'jwt-sessions-reference:web';
export const TYP = { stateless: 'session-stateless+jwt', stateful: 'session-stateful+jwt' } as const;

/** The servers' HS256 key: what an attacker who stole SESSION_SECRET would have. Used only to test claim checks. */
export function serverKey() {
  loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
  const secret = process.env.SESSION_SECRET;
  if (!secret) throw new Error('SESSION_SECRET is not set (run npm run setup)');
  return new Uint8Array(hkdfSync('sha256', secret, 'jwt-sessions-reference', 'jwt-hs256', 32));
}

export function decode(token: string) {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(base64url.decode(h)).toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(base64url.decode(p)).toString()) as Record<string, unknown>,
    signature: s,
  };
}

export const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

/** The token with its header or payload replaced and the original signature kept. */
export function edited(token: string, change: { header?: Record<string, unknown>; payload?: Record<string, unknown> }) {
  const { header, payload, signature } = decode(token);
  return `${encodeJson(change.header ?? header)}.${encodeJson(change.payload ?? payload)}.${signature}`;
}

/**
 * Signs any header and payload with HMAC-SHA256 and any key (the server's, or one it does not
 * have). By hand, not with jose: jose rightly refuses to sign some of what an attacker sends (crit).
 */
export async function signHs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: Uint8Array) {
  const signingInput = `${encodeJson({ alg: 'HS256', ...header })}.${encodeJson(payload)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

/** Claims of a well-formed stateless token; override any. */
export function statelessClaims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'attacker',
    name: 'Mallory',
    role: 'admin',
    mode: 'stateless',
    jti: 'A'.repeat(22),
    iat: now,
    exp: now + 300,
    iss: ISSUER,
    aud: AUDIENCE,
    ...overrides,
  };
}

/** "app/(app)/settings/page" → "/settings": the URL of a page that Next built with the action. */
function pagePath(worker: string) {
  const path = worker
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .replace(/\/\([^)]+\)/g, '');
  return path || '/';
}

/** Every server action in this build, by name, with a page that serves it, from Next's manifest. */
export function serverActions(): { id: string; name: string; page: string }[] {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: entry.exportedName,
    page: pagePath(Object.keys(entry.workers).find((worker) => worker.endsWith('/page')) ?? 'app/page'),
  }));
}

export function cookieHeader(token: string) {
  return `${SESSION_COOKIE}=${token}`;
}

/** The protected endpoint's answer to a refused token: 401, the notice, the cookie cleared, and nothing of any user. */
export async function expectApiRefusal(response: APIResponse, reason = 'invalid') {
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: 'Not signed in', reason });
  const cleared = response.headersArray().some((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith(`${SESSION_COOKIE}=;`));
  expect(cleared, 'the refused cookie is cleared').toBe(true);
}

/** A protected page's answer: a relative redirect to login with the notice, and no page. */
export async function expectPageRefusal(response: APIResponse, path: string, reason = 'invalid') {
  expect(response.status()).toBe(307);
  expect(response.headers()['location']).toBe(`/login?${new URLSearchParams({ next: path, reason })}`);
  expect(await response.text()).not.toContain('Hello,');
}

/** Sends a token to the protected endpoint and a protected page; both must refuse it. */
export async function expectTokenRefused(request: APIRequestContext, token: string, reason = 'invalid') {
  await expectApiRefusal(await request.get('/api/session', { headers: { cookie: cookieHeader(token) }, maxRedirects: 0 }), reason);
  await expectPageRefusal(await request.get('/dashboard', { headers: { cookie: cookieHeader(token) }, maxRedirects: 0 }), '/dashboard', reason);
}
