import 'server-only';
// Hardening · throttling of the attempts that guess or spend passwords: logins, sign-ups, and the password
// typed to change it or to confirm a sensitive action. The counters are rate-limiter-flexible's,
// kept in the database (the RateLimiterFlexible table), so every instance shares them and a
// restart forgets nothing.
//
// Numbers, within the anchors of OWASP ASVS 4.0.3 V2.2.1 (at most 100 failed attempts per hour
// on one account), Better Auth (3 sign-ins per 10 s per IP) and Supabase (30 per 5 minutes per IP):
// - every login attempt from one IP: THROTTLE_LOGINS_PER_IP (30) per 5 minutes. Where the address
//   is unknown (plain `next start`, a serverless platform without TRUST_PROXY) every such attempt
//   shares one bucket, THROTTLE_LOGINS_FROM_UNKNOWN_ADDRESSES (300) per 5 minutes: an unknown
//   address never means "no limit";
// - failed logins on one account: THROTTLE_LOGIN_FAILURES_PER_ACCOUNT (10) per 15 minutes, at most
//   40 an hour. A browser that has signed in to that account before keeps an allowance of its own
//   (OWASP's device cookie), so an attacker who spends the account's cannot lock its owner out;
// - failed logins from browsers not trusted for their account, on the whole server together:
//   THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE (60), spent at most a sixtieth a second. Neither
//   limit above stops a flood from thousands of addresses against thousands of accounts, and each
//   of its guesses would cost an argon2 hash: the owners' own logins would queue behind them. Past
//   this budget such a guess is refused before any hashing, and then by the proxy before anything
//   is decoded or rendered (login-gate.ts), while a browser that signed in to its account before
//   still signs in. npm run bench:scale measures the owner's login during such a flood;
// - sign-ups from one IP: THROTTLE_SIGNUPS_PER_IP (10) per hour, and from unknown addresses
//   together THROTTLE_SIGNUPS_FROM_UNKNOWN_ADDRESSES (60);
// - wrong current passwords of one user: THROTTLE_PASSWORD_FAILURES_PER_USER (5) per 15 minutes;
// - and whatever passes, argon2 work itself: PASSWORD_WORK_CONCURRENCY hashes at once per process
//   (as many as it has cores, at most 4), one of them kept for trusted browsers, PASSWORD_WORK_QUEUE
//   more waiting, and the rest answered 503 at once (withPasswordWork).
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import { getDb } from '@/lib/db/client';
import { settings, shared } from '../01-settings';
import { deleteInBatches } from '../housekeeping';

const attempts = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

// Attempts allowed per window (the windows are fixed). Raise them for load tests; 0 is refused, so
// throttling cannot be switched off by accident.
export const getThrottleSettings = settings({
  THROTTLE_LOGINS_PER_IP: attempts(30),
  THROTTLE_LOGINS_FROM_UNKNOWN_ADDRESSES: attempts(300),
  THROTTLE_LOGIN_FAILURES_PER_ACCOUNT: attempts(10),
  THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE: attempts(60),
  THROTTLE_SIGNUPS_PER_IP: attempts(10),
  THROTTLE_SIGNUPS_FROM_UNKNOWN_ADDRESSES: attempts(60),
  THROTTLE_PASSWORD_FAILURES_PER_USER: attempts(5),
  // Argon2 keeps a core busy: more hashes at once than cores only makes each one slower.
  PASSWORD_WORK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(Math.min(4, availableParallelism())),
  PASSWORD_WORK_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
});

type LimitName =
  | 'loginsPerIp'
  | 'loginsFromUnknownAddresses'
  | 'loginFailuresPerAccount'
  | 'loginFailuresPerDevice'
  | 'untrustedLoginFailures'
  | 'signupsPerIp'
  | 'signupsFromUnknownAddresses'
  | 'passwordFailuresPerUser';

const WINDOW_SECONDS: Record<LimitName, number> = {
  loginsPerIp: 5 * 60,
  loginsFromUnknownAddresses: 5 * 60,
  loginFailuresPerAccount: 15 * 60,
  loginFailuresPerDevice: 15 * 60,
  untrustedLoginFailures: 60,
  signupsPerIp: 60 * 60,
  signupsFromUnknownAddresses: 60 * 60,
  passwordFailuresPerUser: 15 * 60,
};

function points(name: LimitName) {
  const env = getThrottleSettings();
  return {
    loginsPerIp: env.THROTTLE_LOGINS_PER_IP,
    loginsFromUnknownAddresses: env.THROTTLE_LOGINS_FROM_UNKNOWN_ADDRESSES,
    loginFailuresPerAccount: env.THROTTLE_LOGIN_FAILURES_PER_ACCOUNT,
    loginFailuresPerDevice: env.THROTTLE_LOGIN_FAILURES_PER_ACCOUNT,
    untrustedLoginFailures: env.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE,
    signupsPerIp: env.THROTTLE_SIGNUPS_PER_IP,
    signupsFromUnknownAddresses: env.THROTTLE_SIGNUPS_FROM_UNKNOWN_ADDRESSES,
    passwordFailuresPerUser: env.THROTTLE_PASSWORD_FAILURES_PER_USER,
  }[name];
}

/**
 * Points per window. The server-wide budget is spent at most a sixtieth a second (a minute's worth
 * for fewer than 60): a flood would otherwise spend a minute's budget in its first seconds, and
 * the owners' logins would wait behind that burst of hashing.
 */
function allowance(name: LimitName) {
  const perWindow = points(name);
  if (name !== 'untrustedLoginFailures') return { points: perWindow, duration: WINDOW_SECONDS[name] };
  return perWindow >= 60 ? { points: Math.floor(perWindow / 60), duration: 1 } : { points: 1, duration: Math.ceil(60 / perWindow) };
}

/** The one subject of the shared buckets of unknown addresses. */
const UNKNOWN_ADDRESS = 'unknown';

const limiters = shared('throttle-limiters', () => new Map<LimitName, RateLimiterPrisma>());

function limiter(name: LimitName) {
  let found = limiters.get(name);
  if (!found) {
    // The Prisma client's property for the model; the store increments the row atomically.
    found = new RateLimiterPrisma({
      storeClient: getDb(),
      tableName: 'rateLimiterFlexible',
      keyPrefix: name,
      ...allowance(name),
      // Its own clean-up is one DELETE over the whole table, from every limiter every 5 minutes:
      // purgeExpiredCounters deletes in short batches instead.
      clearExpiredByTimeout: false,
    });
    limiters.set(name, found);
  }
  return found;
}

/**
 * Deletes counters whose window has ended, in batches (housekeeping.ts). Schedule it: failed logins
 * from many addresses, or for many email addresses, leave a row each, and nothing else removes them.
 */
export function purgeExpiredCounters(now = new Date()) {
  const db = getDb();
  // An hour after their window, as the library's own clean-up: never under a consume that is resetting the row.
  const where = { expire: { lt: new Date(+now - 3600 * 1000) } };
  return deleteInBatches(
    async (take) => (await db.rateLimiterFlexible.findMany({ where, orderBy: { expire: 'asc' }, select: { key: true }, take })).map((row) => row.key),
    (keys) => db.rateLimiterFlexible.deleteMany({ where: { key: { in: keys } } }),
  );
}

/** Keys are hashed: the table never holds an email address or an IP in clear. */
function key(value: string) {
  return createHash('sha256').update(value).digest('base64url');
}

/** A refusal to try now: 429 for a spent allowance, 503 when the server has no room for the work. */
export type Throttled = { throttled: true; status: 429 | 503; retryAfterSeconds: number; message: string };

function throttled(msBeforeNext: number, what: string, status: Throttled['status'] = 429): Throttled {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const wait =
    retryAfterSeconds >= 90 ? `${Math.ceil(retryAfterSeconds / 60)} minutes` : `${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`;
  return { throttled: true, status, retryAfterSeconds, message: `${what} Try again in ${wait}.`.trim() };
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

/**
 * Where a login attempt comes from: the IP (null when unknown), the browser's trusted-device id for
 * this account if it has one, and its device id at all (trusted for another account, say).
 */
export type LoginSource = { ip: string | null; trustedDeviceId: string | null; deviceId?: string | null };

const FLOODED = 'Too many failed sign-ins on this server right now. A browser that has signed in before can still sign in.';

// While the server-wide budget is spent, or the password work has no room, this process refuses
// untrusted logins for the whole server; the proxy asks it first and refuses them before anything
// is decoded, counted or rendered (login-gate.ts). A browser with a device cookie (trusted for
// some account) passes, unless it was refused meanwhile: at most MAX_GATED_DEVICES are remembered,
// the rest are refused by the action as before. Each instance learns the budget's end from its own
// first refusal.
const MAX_GATED_DEVICES = 10_000;
const gate = shared('flood-gate', () => ({ closedUntilMs: 0, attackUntilMs: 0, windowStartMs: 0, admittedInWindow: 0, devices: new Map<string, number>() }));
/** How long after the budget last ran out the proxy still lets logins without a device cookie through only at the budget's pace. */
const ATTACK_MEMORY_MS = 60_000;

function remember(deviceId: string | null | undefined, untilMs: number, nowMs: number) {
  if (!deviceId) return;
  if (gate.devices.size >= MAX_GATED_DEVICES) for (const [id, until] of gate.devices) if (until <= nowMs) gate.devices.delete(id);
  if (gate.devices.size < MAX_GATED_DEVICES) gate.devices.set(deviceId, Math.max(untilMs, gate.devices.get(deviceId) ?? 0));
}

/** Whether the gate speaks for this browser: one without a device id, or one refused meanwhile. */
const gated = (deviceId: string | null, nowMs: number) => !deviceId || (gate.devices.get(deviceId) ?? 0) > nowMs;

/** The budget's refusal while it is spent, as far as this process knows, for a gated browser. */
function budgetRefusal(deviceId: string | null, nowMs: number): Throttled | null {
  return nowMs < gate.closedUntilMs && gated(deviceId, nowMs) ? throttled(gate.closedUntilMs - nowMs, FLOODED) : null;
}

/**
 * The refusal of a login from an untrusted browser that this process would refuse whatever it
 * carries: the budget is spent, or the password work has no room. Null otherwise, and for a
 * browser with a device id not refused meanwhile (the action decides for its account).
 */
function floodRefusal(deviceId: string | null, nowMs: number): Throttled | null {
  if (!gated(deviceId, nowMs)) return null;
  return budgetRefusal(deviceId, nowMs) ?? (passwordWorkFull(nowMs) ? throttled(PASSWORD_WORK_RETRY_MS, BUSY, 503) : null);
}

/**
 * The proxy's question for a login posted by a browser with `deviceId` (null without a readable
 * device cookie): the refusal it would meet anyway, or null, and then a browser without a device
 * cookie holds a place in the password work's queue until its action reaches it. Without that
 * place, every login let through while the queue had one free place would be let through, all but
 * one to be refused after rendering: under a flood, more of them the slower the server got.
 */
export function admitLogin(deviceId: string | null, nowMs = Date.now()): Throttled | null {
  const refusal = floodRefusal(deviceId, nowMs);
  if (refusal || deviceId) return refusal;
  if (passwordWorkFull(nowMs)) return throttled(PASSWORD_WORK_RETRY_MS, BUSY, 503);
  // Within a minute of the budget running out, at most its pace gets through: each window's first
  // few would spend it again, and every one after them would be refused only after rendering.
  if (nowMs < gate.attackUntilMs) {
    const { points, duration } = allowance('untrustedLoginFailures');
    const windowMs = duration * 1000;
    if (nowMs >= gate.windowStartMs + windowMs) Object.assign(gate, { windowStartMs: nowMs - (nowMs % windowMs), admittedInWindow: 0 });
    if (gate.admittedInWindow >= points) return throttled(gate.windowStartMs + windowMs - nowMs, FLOODED);
    gate.admittedInWindow++;
  }
  work.admitted.push(nowMs);
  return null;
}

const accountSubject = (email: string, source: LoginSource) =>
  source.trustedDeviceId ? (['loginFailuresPerDevice', `${source.trustedDeviceId}:${email}`] as const) : (['loginFailuresPerAccount', email] as const);

/**
 * Before a login checks the password: spends the IP's point and one of the account's (or this
 * trusted browser's) failures, refusing when none is left. The failure is spent up front, in one
 * atomic step, so a burst of parallel guesses cannot all pass a check made before any of them
 * counted; refundLoginFailure() gives it back. Attempts from unknown addresses share one bucket,
 * and failures from untrusted browsers one server-wide budget, except from a trusted browser,
 * whose own allowance already limits it: a flood of guesses must not lock out owners who signed in
 * before, nor make their logins wait behind its hashing.
 */
export async function beforeLoginAttempt(email: string, source: LoginSource): Promise<Throttled | null> {
  // Known to be spent: refused with no counter written, so a flood's refusals cost the database nothing.
  const spent = source.trustedDeviceId ? null : budgetRefusal(source.deviceId ?? null, Date.now());
  if (spent) return spent;
  if (source.ip) {
    const byIp = await spend('loginsPerIp', source.ip);
    if (byIp) return withMessage(byIp, 'Too many sign-in attempts from your network.');
  } else if (!source.trustedDeviceId) {
    const unknown = await spend('loginsFromUnknownAddresses', UNKNOWN_ADDRESS);
    if (unknown) return withMessage(unknown, 'Too many sign-in attempts to this server right now.');
  }
  if (!source.trustedDeviceId) {
    const flood = await spend('untrustedLoginFailures', UNKNOWN_ADDRESS);
    if (flood) {
      const nowMs = Date.now();
      gate.closedUntilMs = Math.max(gate.closedUntilMs, nowMs + flood.retryAfterSeconds * 1000);
      gate.attackUntilMs = nowMs + ATTACK_MEMORY_MS;
      remember(source.deviceId, gate.closedUntilMs, nowMs);
      return withMessage(flood, FLOODED);
    }
  }
  const [name, subject] = accountSubject(email, source);
  const byAccount = withMessage(
    await spend(name, subject),
    source.trustedDeviceId
      ? 'Too many failed sign-ins for this account from this browser.'
      : 'Too many failed sign-ins for this account. A browser that has signed in to it before can still sign in.',
  );
  // Refused before any hashing: no guess, so the server-wide budget gets its point back.
  if (byAccount && !source.trustedDeviceId) await refund('untrustedLoginFailures', UNKNOWN_ADDRESS);
  return byAccount;
}

/** The attempt was no failed guess (the password was right, or it never ran): its failure is given back. */
export async function refundLoginFailure(email: string, source: LoginSource) {
  const [name, subject] = accountSubject(email, source);
  await refund(name, subject);
  if (!source.trustedDeviceId) await refund('untrustedLoginFailures', UNKNOWN_ADDRESS);
}

export async function beforeSignup(ip: string | null): Promise<Throttled | null> {
  if (ip) return withMessage(await spend('signupsPerIp', ip), 'Too many sign-ups from your network.');
  return withMessage(await spend('signupsFromUnknownAddresses', UNKNOWN_ADDRESS), 'Too many sign-ups to this server right now.');
}

/**
 * Before checking a signed-in user's password (to change it, or to confirm a sensitive action):
 * spends a failure up front, like a login; refundPasswordFailure() gives it back.
 */
export async function beforePasswordCheck(userId: string): Promise<Throttled | null> {
  return withMessage(await spend('passwordFailuresPerUser', userId), 'Too many wrong passwords.');
}

/** The password was right, or never checked: the failure spent on it is given back. */
export async function refundPasswordFailure(userId: string) {
  await refund('passwordFailuresPerUser', userId);
}

// Argon2id takes 19 MiB and a worker thread for about 60 ms. Without a cap, a burst of logins or
// sign-ups (each within its throttle) queues unbounded work and memory; with it, the excess is
// told to come back in a second. Per process: each instance protects its own memory. One slot is
// kept for logins from browsers trusted for their account, and they wait in a queue of their own,
// served first: a flood of guesses must not make the owners wait behind its hashing.
const PASSWORD_WORK_RETRY_MS = 1000;
const BUSY = 'The server is busy checking other passwords.';
const work = shared('password-work', () => ({ running: 0, waiting: [] as (() => void)[], trustedWaiting: [] as (() => void)[], admitted: [] as number[] }));
/** How long a place held by the proxy for a login waits for its action (which may refuse it before any hashing). */
const ADMISSION_MS = 500;

function slots(trusted: boolean) {
  const { PASSWORD_WORK_CONCURRENCY: all } = getThrottleSettings();
  return trusted || all === 1 ? all : all - 1;
}

function passwordWorkFull(nowMs: number) {
  while (work.admitted.length && work.admitted[0]! <= nowMs - ADMISSION_MS) work.admitted.shift();
  // The kept slot aside; a login the proxy let through counts as if it already waited.
  const taken = Math.min(work.running, slots(false)) + work.waiting.length + work.admitted.length;
  return taken >= slots(false) + getThrottleSettings().PASSWORD_WORK_QUEUE;
}

function release() {
  work.running--;
  const next =
    work.trustedWaiting.length && work.running < slots(true) ? work.trustedWaiting.shift() : work.running < slots(false) ? work.waiting.shift() : undefined;
  if (next) {
    work.running++;
    next();
  }
}

/**
 * Runs `run` (which hashes or verifies a password) once a slot is free, or a 503 Throttled at once
 * when the slots are taken and PASSWORD_WORK_QUEUE already wait. `login`: where a login comes
 * from; a browser trusted for the account uses the kept slot and its own queue, an untrusted one
 * refused here is refused by the proxy too while the queue stays full.
 */
export async function withPasswordWork<T>(run: () => Promise<T>, login?: LoginSource): Promise<{ ok: true; value: T } | { ok: false; throttled: Throttled }> {
  const trusted = Boolean(login?.trustedDeviceId);
  if (login && !login.deviceId) work.admitted.shift(); // the place the proxy held for it, if it did
  const queue = trusted ? work.trustedWaiting : work.waiting;
  if (work.running < slots(trusted)) work.running++;
  else if (queue.length < getThrottleSettings().PASSWORD_WORK_QUEUE) await new Promise<void>((resolve) => queue.push(resolve));
  else {
    const nowMs = Date.now();
    if (login && !trusted) remember(login.deviceId, nowMs + PASSWORD_WORK_RETRY_MS, nowMs);
    return { ok: false, throttled: throttled(PASSWORD_WORK_RETRY_MS, BUSY, 503) };
  }
  try {
    return { ok: true, value: await run() };
  } finally {
    release();
  }
}
