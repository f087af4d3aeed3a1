// The server-wide budget of failed logins from browsers not trusted for their account: a flood
// from thousands of addresses against thousands of accounts passes every per-address and
// per-account limit, and would make each guess cost a password hash. Then the proxy's gate, which
// refuses what the budget already refuses before the form is decoded or the page rendered. A small
// budget here: 5 a minute is one failure per 12 seconds.
import { randomUUID } from 'node:crypto';
import { sealData } from 'iron-session';
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { deriveKey } from '@/lib/session/01-settings';
import { admitLogin, beforeLoginAttempt, refundLoginFailure } from '@/lib/session/hardening/throttle';
import { refuseFloodedLogin } from '@/lib/session/hardening/login-gate';

beforeAll(() => {
  process.env.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE = '5';
  process.env.THROTTLE_LOGINS_PER_IP = '1000';
  resetEnvForTests();
});

const guess = (n: number, deviceId: string | null = null) => ({
  email: `victim-${n}-${randomUUID()}@example.test`,
  source: { ip: `10.0.${n >> 8}.${n & 255}`, trustedDeviceId: null, deviceId },
});
const FLOODED = /^Too many failed sign-ins on this server right now\. A browser that has signed in before can still sign in\. Try again in \d+ seconds?\.$/;

const post = (path: string, headers: Record<string, string> = {}) => new NextRequest(`http://localhost:3000${path}`, { method: 'POST', headers });

describe('failed logins from untrusted browsers, server-wide', () => {
  it('spends the budget at its pace: past it, the next guess is refused from any address for any account, before any password is hashed; a right password spends none', async () => {
    // Right passwords first: each gives its point back.
    for (let n = 100; n < 103; n++) {
      const right = guess(n);
      expect(await beforeLoginAttempt(right.email, right.source)).toBeNull();
      await refundLoginFailure(right.email, right.source);
    }
    // Before the budget has run out, the proxy lets a login through with nothing to say.
    expect(admitLogin(null)).toBeNull();
    const wrong = guess(0);
    expect(await beforeLoginAttempt(wrong.email, wrong.source)).toBeNull();
    // A browser with a device cookie of its own, refused like any other untrusted one.
    const next = guess(1, 'attackers-own-cookie');
    const refused = await beforeLoginAttempt(next.email, next.source);
    expect(refused?.message).toMatch(FLOODED);
    expect(refused!.retryAfterSeconds).toBeLessThanOrEqual(12);
    // From then on this process knows: the next guess is refused without a counter written, not even its address's.
    const counters = await getDb().rateLimiterFlexible.count();
    const another = guess(2);
    expect((await beforeLoginAttempt(another.email, another.source))?.message).toMatch(FLOODED);
    expect(await getDb().rateLimiterFlexible.count()).toBe(counters);
  });

  it('lets a browser that signed in to its account before sign in meanwhile', async () => {
    const owner = { ip: '198.51.100.7', trustedDeviceId: 'owners-laptop', deviceId: 'owners-laptop' };
    expect(await beforeLoginAttempt('owner@example.test', owner)).toBeNull();
    await refundLoginFailure('owner@example.test', owner);
  });

  it('has the proxy refuse, until the budget comes back, a browser without a device cookie and one refused meanwhile, but not another with a device cookie', () => {
    expect(admitLogin(null)).toMatchObject({ status: 429, message: expect.stringMatching(FLOODED) });
    expect(admitLogin('attackers-own-cookie')).toMatchObject({ status: 429 });
    expect(admitLogin('owners-laptop')).toBeNull();
  });

  it('for a minute after the budget ran out, lets logins without a device cookie through only at its pace', () => {
    const later = Date.now() + 13_000;
    expect(admitLogin(null, later)).toBeNull();
    expect(admitLogin(null, later + 1)).toMatchObject({ status: 429, message: expect.stringMatching(FLOODED) });
    // A minute of quiet later, no pace at all.
    const quiet = Date.now() + 75_000;
    for (let i = 0; i < 5; i++) expect(admitLogin(null, quiet + i)).toBeNull();
  });
});

describe("the proxy's gate (login-gate.ts)", () => {
  it('answers a login form posted without JavaScript with a page of its own: 429, Retry-After, no script allowed', async () => {
    const response = await refuseFloodedLogin(post('/login?next=%2Fdevices'));
    expect(response?.status).toBe(429);
    expect(Number(response!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response!.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response!.headers.get('content-security-policy')).toBe("default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    const html = await response!.text();
    expect(html).toContain('<h1>Your login was not checked</h1>');
    expect(html).toMatch(/<p role="alert">Too many failed sign-ins on this server right now\. .* Try again in \d+ seconds?\.<\/p>/);
    expect(html).toContain('<a href="/login?next=%2Fdevices">Back to log in</a>');
  });

  it("answers the form's script with a redirect it follows to the login page, which says why", async () => {
    const response = await refuseFloodedLogin(post('/login?next=%2Fdevices', { 'next-action': '00abc' }));
    expect(response?.status).toBe(429);
    expect(response!.headers.get('x-action-redirect')).toBe('/login?next=%2Fdevices&busy=1;replace');
    expect(response!.headers.get('content-type')).toBe('text/plain');
  });

  it('lets through what it has nothing to say about: other pages, other methods, a browser with a device cookie it has not refused', async () => {
    expect(await refuseFloodedLogin(post('/signup'))).toBeNull();
    expect(await refuseFloodedLogin(new NextRequest('http://localhost:3000/login'))).toBeNull();
    const cookie = await sealData({ id: 'a-browser-that-signed-in-before', accounts: ['x'] }, { password: deriveKey('trusted-device-cookie').toString('hex') });
    expect(await refuseFloodedLogin(post('/login', { cookie: `device=${cookie}` }))).toBeNull();
    // A forged cookie is no cookie.
    expect((await refuseFloodedLogin(post('/login', { cookie: 'device=forged' })))?.status).toBe(429);
  });
});
