// The server-wide budget of failed logins from browsers not trusted for their account: a flood
// from thousands of addresses against thousands of accounts passes every per-address and
// per-account limit, and would make each guess cost a password hash. A small budget here.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { beforeLoginAttempt, refundLoginFailure } from '@/lib/session/hardening/throttle';

beforeAll(() => {
  process.env.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE = '5';
  process.env.THROTTLE_LOGINS_PER_IP = '1000';
  resetEnvForTests();
});

const guess = (n: number) => ({ email: `victim-${n}-${randomUUID()}@example.test`, source: { ip: `10.0.${n >> 8}.${n & 255}`, trustedDeviceId: null } });

describe('failed logins from untrusted browsers, server-wide', () => {
  it('refuses the next guess once the budget is spent, from any address for any account, before any password is hashed; a right password spends none', async () => {
    // Three right passwords first: each gives its point back.
    for (let n = 100; n < 103; n++) {
      const right = guess(n);
      expect(await beforeLoginAttempt(right.email, right.source)).toBeNull();
      await refundLoginFailure(right.email, right.source);
    }
    for (let n = 0; n < 5; n++) {
      const wrong = guess(n);
      expect(await beforeLoginAttempt(wrong.email, wrong.source)).toBeNull();
    }
    const next = guess(5);
    const refused = await beforeLoginAttempt(next.email, next.source);
    expect(refused?.message).toMatch(
      /^Too many failed sign-ins on this server right now\. A browser that has signed in before can still sign in\. Try again in \d+ seconds?\.$/,
    );
    expect(refused!.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('lets a browser that signed in to its account before sign in meanwhile', async () => {
    const owner = { ip: '198.51.100.7', trustedDeviceId: 'owners-laptop' };
    expect(await beforeLoginAttempt('owner@example.test', owner)).toBeNull();
    await refundLoginFailure('owner@example.test', owner);
  });
});
