import 'server-only';
// The attack at scale, for `npm run bench:scale`: failed logins from many addresses and for many
// email addresses, through the login throttle as a login runs it (its counters are rows of the
// database's RateLimiterFlexible table), while the owner of an account signs in from a browser
// that signed in before (a trusted device). It measures what the attack grows (the counter table,
// the process's memory), what the owner's throttle check costs meanwhile against a quiet moment,
// and what the scheduled clean-up takes back. In-process: the address of each attempt is read from
// an X-Forwarded-For header the way the app reads it behind one trusted proxy (TRUST_PROXY=1).
import { getDb } from '@/lib/db/client';
import { forwardedEntry } from '@/lib/session/03-cookies';
import { beforeLoginAttempt, purgeExpiredCounters, refundLoginFailure } from '@/lib/session/hardening/throttle';
import { summarise } from './http-load';
import { underAttack } from './under-attack';
import { percentile } from './metrics';

export type FloodOptions = {
  /** Failed logins in all; each from one of `addresses` addresses and for one of `emails` email addresses. */
  attempts: number;
  addresses: number;
  emails: number;
  /** Attempts sent a second, each when it is due whatever the answers before it (as attackers send). */
  perSecond: number;
  onProgress?: (done: number, total: number) => void;
};

const OWNER_EMAIL = 'owner@example.test';
let ownerLogins = 0;

/**
 * One owner's login as the throttle sees it: the point spent up front, given back when the password
 * was right. Each from another of 1,024 addresses (a phone moving between networks), so the owner
 * stays within the per-address allowance however long the attack lasts.
 */
async function ownerLoginMicros() {
  const k = ownerLogins++ % 1024;
  const source = { ip: `198.51.${100 + (k >> 8)}.${k & 255}`, trustedDeviceId: 'owners-laptop' };
  const started = performance.now();
  const throttled = await beforeLoginAttempt(OWNER_EMAIL, source);
  await refundLoginFailure(OWNER_EMAIL, source);
  return { micros: (performance.now() - started) * 1000, throttled: throttled !== null };
}

/** The i-th attacker's address, as the trusted proxy in front of the app appends it. */
function attackerAddress(i: number, addresses: number) {
  const n = i % addresses;
  return forwardedEntry(`203.0.113.9, 10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, 1) ?? null;
}

/** Between the owner's logins: a person, not a second attacker. */
const OWNER_PAUSE_MS = 20;

/** The heap after a full collection when the process allows one (node --expose-gc), so growth is what stays. */
function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  return { heapBytes: process.memoryUsage().heapUsed, rssBytes: process.memoryUsage().rss };
}

const counters = () => getDb().rateLimiterFlexible.count();

export async function floodThrottle({ attempts, addresses, emails, perSecond, onProgress }: FloodOptions) {
  for (let i = 0; i < 50; i++) await ownerLoginMicros(); // warm-up: the JIT, the connection, the statements
  const quiet: number[] = [];
  for (let i = 0; i < 200; i++) quiet.push((await ownerLoginMicros()).micros);
  const before = { rows: await counters(), ...memory() };

  const duringMicros: number[] = [];
  let ownerRefused = 0;
  let attackerRefused = 0;
  const { seconds: attackSeconds, attemptsPerSecond } = await underAttack({
    attempts,
    perSecond,
    attempt: async (i) => {
      const throttled = await beforeLoginAttempt(`victim-${i % emails}@example.test`, { ip: attackerAddress(i, addresses), trustedDeviceId: null });
      if (throttled) attackerRefused += 1;
      if (i % 100 === 0) onProgress?.(i, attempts);
    },
    owner: async () => {
      const login = await ownerLoginMicros();
      duringMicros.push(login.micros);
      if (login.throttled) ownerRefused += 1;
    },
    ownerPauseMs: OWNER_PAUSE_MS,
  });
  const after = { rows: await counters(), ...memory() };

  // Once every window has ended (the longest is an hour) and the hour the clean-up waits after it.
  const purge = await purgeExpiredCounters(new Date(Date.now() + 2 * 3600 * 1000 + 60_000));
  const quietSpread = summarise(quiet);
  const duringSpread = summarise(duringMicros);
  const p95 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      95,
    );
  return {
    attempts,
    perSecond,
    addresses,
    emails,
    attackSeconds,
    attemptsPerSecond,
    attackerRefused,
    owner: {
      quietMicros: { median: quietSpread.median, p95: p95(quiet) },
      duringMicros: { median: duringSpread.median, p95: p95(duringMicros), samples: duringMicros.length },
      refused: ownerRefused,
    },
    table: { rowsBefore: before.rows, rowsAfter: after.rows, rowsAfterPurge: await counters() },
    memory: { heapGrowthBytes: after.heapBytes - before.heapBytes, rssGrowthBytes: after.rssBytes - before.rssBytes, collected: 'gc' in globalThis },
    purge,
  };
}
