import 'server-only';
// Throttling of the attempts that guess or spend passwords: logins, sign-ups, and the password
// typed to change it or to confirm a sensitive action. The counters are rate-limiter-flexible's,
// kept in the database (the RateLimiterFlexible table), so every instance shares them and a
// restart forgets nothing.
//
// Numbers, within the anchors of OWASP ASVS 4.0.3 V2.2.1 (at most 100 failed attempts per hour
// on one account), Better Auth (3 sign-ins per 10 s per IP) and Supabase (30 per 5 minutes per IP):
// - every login attempt from one IP: THROTTLE_LOGINS_PER_IP (30) per 5 minutes;
// - failed logins on one account: THROTTLE_LOGIN_FAILURES_PER_ACCOUNT (10) per 15 minutes, at most
//   40 an hour. A browser that has signed in to that account before keeps an allowance of its own
//   (OWASP's device cookie), so an attacker who spends the account's cannot lock its owner out;
// - sign-ups from one IP: THROTTLE_SIGNUPS_PER_IP (10) per hour;
// - wrong current passwords of one user: THROTTLE_PASSWORD_FAILURES_PER_USER (5) per 15 minutes.
import { createHash } from 'node:crypto';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { processSingleton } from '@/lib/process-state';

type LimitName = 'loginsPerIp' | 'loginFailuresPerAccount' | 'loginFailuresPerDevice' | 'signupsPerIp' | 'passwordFailuresPerUser';

const WINDOW_SECONDS: Record<LimitName, number> = {
  loginsPerIp: 5 * 60,
  loginFailuresPerAccount: 15 * 60,
  loginFailuresPerDevice: 15 * 60,
  signupsPerIp: 60 * 60,
  passwordFailuresPerUser: 15 * 60,
};

function points(name: LimitName) {
  const env = getEnv();
  return {
    loginsPerIp: env.THROTTLE_LOGINS_PER_IP,
    loginFailuresPerAccount: env.THROTTLE_LOGIN_FAILURES_PER_ACCOUNT,
    loginFailuresPerDevice: env.THROTTLE_LOGIN_FAILURES_PER_ACCOUNT,
    signupsPerIp: env.THROTTLE_SIGNUPS_PER_IP,
    passwordFailuresPerUser: env.THROTTLE_PASSWORD_FAILURES_PER_USER,
  }[name];
}

const limiters = processSingleton('throttle-limiters', () => new Map<LimitName, RateLimiterPrisma>());

function limiter(name: LimitName) {
  let found = limiters.get(name);
  if (!found) {
    // The Prisma client's property for the model; the store increments the row atomically.
    found = new RateLimiterPrisma({
      storeClient: getDb(),
      tableName: 'rateLimiterFlexible',
      keyPrefix: name,
      points: points(name),
      duration: WINDOW_SECONDS[name],
    });
    limiters.set(name, found);
  }
  return found;
}

/** Keys are hashed: the table never holds an email address or an IP in clear. */
function key(value: string) {
  return createHash('sha256').update(value).digest('base64url');
}

export type Throttled = { throttled: true; retryAfterSeconds: number; message: string };

function throttled(msBeforeNext: number, what: string): Throttled {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const wait = retryAfterSeconds >= 90 ? `${Math.ceil(retryAfterSeconds / 60)} minutes` : `${retryAfterSeconds} seconds`;
  return { throttled: true, retryAfterSeconds, message: `${what} Try again in ${wait}.` };
}

/** Spends one point; a Throttled when none was left. Store failures propagate (503, never a pass). */
async function spend(name: LimitName, subject: string): Promise<Throttled | null> {
  try {
    await limiter(name).consume(key(subject));
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return throttled(error.msBeforeNext, '');
    throw error;
  }
}

/** Gives back a point spent on an attempt that turned out right, so only failures count. */
async function refund(name: LimitName, subject: string) {
  await limiter(name).reward(key(subject), 1);
}

function withMessage(result: Throttled | null, message: string): Throttled | null {
  return result ? { ...result, message: `${message} ${result.message.trim()}` } : null;
}

/** Where a login attempt comes from: the IP (null when unknown), and the browser's trusted-device id for this account, if any. */
export type LoginSource = { ip: string | null; trustedDeviceId: string | null };

const accountSubject = (email: string, source: LoginSource) =>
  source.trustedDeviceId ? (['loginFailuresPerDevice', `${source.trustedDeviceId}:${email}`] as const) : (['loginFailuresPerAccount', email] as const);

/**
 * Before a login checks the password: spends the IP's point and one of the account's (or this
 * trusted browser's) failures, refusing when none is left. The failure is spent up front, in one
 * atomic step, so a burst of parallel guesses cannot all pass a check made before any of them
 * counted; loginSucceeded() gives it back. An unknown IP is not limited per IP: every visitor
 * would share one counter (plain `next start` knows no addresses).
 */
export async function beforeLoginAttempt(email: string, source: LoginSource): Promise<Throttled | null> {
  if (source.ip) {
    const byIp = await spend('loginsPerIp', source.ip);
    if (byIp) return withMessage(byIp, 'Too many sign-in attempts from your network.');
  }
  const [name, subject] = accountSubject(email, source);
  return withMessage(
    await spend(name, subject),
    source.trustedDeviceId
      ? 'Too many failed sign-ins for this account from this browser.'
      : 'Too many failed sign-ins for this account. A browser that has signed in to it before can still sign in.',
  );
}

/** The password was right: the failure spent on this attempt is given back. */
export async function loginSucceeded(email: string, source: LoginSource) {
  const [name, subject] = accountSubject(email, source);
  await refund(name, subject);
}

export async function beforeSignup(ip: string | null): Promise<Throttled | null> {
  return ip ? withMessage(await spend('signupsPerIp', ip), 'Too many sign-ups from your network.') : null;
}

/**
 * Before checking a signed-in user's password (to change it, or to confirm a sensitive action):
 * spends a failure up front, like a login; passwordAccepted() gives it back.
 */
export async function beforePasswordCheck(userId: string): Promise<Throttled | null> {
  return withMessage(await spend('passwordFailuresPerUser', userId), 'Too many wrong passwords.');
}

export async function passwordAccepted(userId: string) {
  await refund('passwordFailuresPerUser', userId);
}
