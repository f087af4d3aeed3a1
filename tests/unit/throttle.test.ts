// Login throttling on the real database (SQLite, and PostgreSQL in the second project): per IP,
// the one bucket of unknown addresses, per account, the trusted browser's own allowance that keeps
// an attacker from locking the owner out, and the cap on password work. Small limits, set per test file.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import {
  beforeLoginAttempt,
  beforePasswordCheck,
  beforeSignup,
  refundLoginFailure,
  refundPasswordFailure,
  withPasswordWork,
} from '@/lib/session/hardening/throttle';

beforeAll(() => {
  process.env.THROTTLE_LOGINS_PER_IP = '4';
  process.env.THROTTLE_LOGIN_FAILURES_PER_ACCOUNT = '3';
  process.env.THROTTLE_SIGNUPS_PER_IP = '2';
  process.env.THROTTLE_PASSWORD_FAILURES_PER_USER = '2';
  process.env.THROTTLE_LOGINS_FROM_UNKNOWN_ADDRESSES = '3';
  // The server-wide budget has its own file (throttle-server-wide.test.ts).
  process.env.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE = '100000';
  process.env.THROTTLE_SIGNUPS_FROM_UNKNOWN_ADDRESSES = '2';
  process.env.PASSWORD_WORK_CONCURRENCY = '2';
  process.env.PASSWORD_WORK_QUEUE = '1';
  resetEnvForTests();
});

const email = () => `${randomUUID()}@example.test`;
const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe('login throttling', () => {
  it('allows THROTTLE_LOGINS_PER_IP attempts from one IP per window, then says how long to wait', async () => {
    const source = { ip: ip(), trustedDeviceId: null };
    // Successful ones too: the IP's points are never given back.
    for (let i = 0; i < 4; i++) {
      const account = email();
      expect(await beforeLoginAttempt(account, source)).toBeNull();
      await refundLoginFailure(account, source);
    }
    const refused = await beforeLoginAttempt(email(), source);
    expect(refused).toMatchObject({ throttled: true, retryAfterSeconds: expect.any(Number) });
    expect(refused!.retryAfterSeconds).toBeGreaterThan(290);
    expect(refused!.retryAfterSeconds).toBeLessThanOrEqual(300);
    expect(refused!.message).toBe('Too many sign-in attempts from your network. Try again in 5 minutes.');
  });

  it('puts every attempt whose address is unknown into one bucket with its own limit; never no limit', async () => {
    for (let i = 0; i < 3; i++) expect(await beforeLoginAttempt(email(), { ip: null, trustedDeviceId: null })).toBeNull();
    expect((await beforeLoginAttempt(email(), { ip: null, trustedDeviceId: null }))?.message).toBe(
      'Too many sign-in attempts to this server right now. Try again in 5 minutes.',
    );
    // A browser that signed in to the account before keeps its own allowance: the flood does not lock its owner out.
    expect(await beforeLoginAttempt(email(), { ip: null, trustedDeviceId: 'owner-laptop' })).toBeNull();
    expect((await beforeSignup(null))?.message).toBeUndefined();
    expect((await beforeSignup(null))?.message).toBeUndefined();
    expect((await beforeSignup(null))?.message).toBe('Too many sign-ups to this server right now. Try again in 60 minutes.');
  });

  it('locks an account for untrusted browsers after its failures, from any IP, but not a browser that signed in to it before', async () => {
    const account = email();
    for (let i = 0; i < 3; i++) expect(await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: null })).toBeNull();
    const attacker = await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: null });
    expect(attacker?.message).toBe(
      'Too many failed sign-ins for this account. A browser that has signed in to it before can still sign in. Try again in 15 minutes.',
    );
    expect(await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: 'owner-laptop' })).toBeNull();
    // Another account is untouched.
    expect(await beforeLoginAttempt(email(), { ip: ip(), trustedDeviceId: null })).toBeNull();
  });

  it('gives each trusted browser its own failures, so a stolen device cookie does not spend the others', async () => {
    const account = email();
    for (let i = 0; i < 3; i++) await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: 'stolen' });
    expect(await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: 'stolen' })).toMatchObject({ throttled: true });
    expect(await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: 'owner-phone' })).toBeNull();
    expect(await beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: null })).toBeNull();
  });
});

describe('sign-up and password throttling', () => {
  it('allows THROTTLE_SIGNUPS_PER_IP sign-ups per IP per hour', async () => {
    const from = ip();
    expect(await beforeSignup(from)).toBeNull();
    expect(await beforeSignup(from)).toBeNull();
    expect((await beforeSignup(from))?.message).toBe('Too many sign-ups from your network. Try again in 60 minutes.');
  });

  it('allows THROTTLE_PASSWORD_FAILURES_PER_USER wrong passwords per user; right ones do not count', async () => {
    const user = randomUUID();
    for (let i = 0; i < 5; i++) {
      expect(await beforePasswordCheck(user)).toBeNull();
      await refundPasswordFailure(user);
    }
    expect(await beforePasswordCheck(user)).toBeNull();
    expect(await beforePasswordCheck(user)).toBeNull();
    expect((await beforePasswordCheck(user))?.message).toBe('Too many wrong passwords. Try again in 15 minutes.');
  });

  it('lets exactly THROTTLE_LOGIN_FAILURES_PER_ACCOUNT of 20 parallel guesses reach the password check', async () => {
    const account = email();
    const results = await Promise.all(Array.from({ length: 20 }, () => beforeLoginAttempt(account, { ip: ip(), trustedDeviceId: null })));
    expect(results.filter((result) => result === null)).toHaveLength(3);
    expect(results.filter((result) => result?.throttled)).toHaveLength(17);
  });

  it('gives the point back on a right password, so the owner signing in never uses up the account', async () => {
    const account = email();
    for (let i = 0; i < 6; i++) {
      const source = { ip: ip(), trustedDeviceId: null };
      expect(await beforeLoginAttempt(account, source)).toBeNull();
      await refundLoginFailure(account, source);
    }
  });
});

describe('password work', () => {
  let running = 0;
  let most = 0;
  const hash = async () => {
    most = Math.max(most, ++running);
    await new Promise((resolve) => setTimeout(resolve, 50));
    running--;
    return 'hashed';
  };
  const BUSY = {
    ok: false,
    throttled: { throttled: true, status: 503, retryAfterSeconds: 1, message: 'The server is busy checking other passwords. Try again in 1 second.' },
  };

  it('runs PASSWORD_WORK_CONCURRENCY at once less the slot kept for trusted browsers, lets PASSWORD_WORK_QUEUE wait, and answers the rest 503 at once', async () => {
    most = 0;
    const results = await Promise.all(Array.from({ length: 5 }, () => withPasswordWork(hash)));
    expect(most).toBe(1);
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results.filter((result) => !result.ok)).toEqual(Array(3).fill(BUSY));
    // Every slot was given back, failures included.
    await expect(withPasswordWork(() => Promise.reject(new Error('argon2 failed')))).rejects.toThrow('argon2 failed');
    expect(await Promise.all([withPasswordWork(hash), withPasswordWork(hash)])).toEqual([
      { ok: true, value: 'hashed' },
      { ok: true, value: 'hashed' },
    ]);
  });

  it('runs a login from a browser trusted for its account at once, in the kept slot, while a flood fills the rest; it waits ahead of them after that', async () => {
    most = 0;
    const owner = { ip: '198.51.100.9', trustedDeviceId: 'owners-laptop', deviceId: 'owners-laptop' };
    const stranger = { ip: '10.9.9.9', trustedDeviceId: null, deviceId: null };
    const order: string[] = [];
    const tagged = (tag: string) => async () => {
      const value = await hash();
      order.push(tag);
      return value;
    };
    const flood = Array.from({ length: 3 }, (_, i) => withPasswordWork(tagged(`stranger ${i}`), stranger));
    const owners = [withPasswordWork(tagged('owner 1'), owner), withPasswordWork(tagged('owner 2'), owner)];
    const [floodResults, ownerResults] = await Promise.all([Promise.all(flood), Promise.all(owners)]);
    expect(ownerResults).toEqual([
      { ok: true, value: 'hashed' },
      { ok: true, value: 'hashed' },
    ]);
    expect(floodResults.filter((result) => !result.ok)).toEqual([BUSY]);
    expect(most).toBe(2);
    // The owner's second login waited for the first slot to free, ahead of the stranger queued before it.
    expect(order).toEqual(['stranger 0', 'owner 1', 'owner 2', 'stranger 1']);
  });
});
