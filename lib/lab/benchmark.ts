import 'server-only';
// The benchmark of the session check, used by the comparison page's button and by `npm run bench`:
// each mode's check as requests see it (verified tokens cached, the stateful row read through a
// prepared statement), the same check the first time a token is seen (no cache), and the library
// path it replaced (jose, and Prisma for the row), next to two floors measured in the same run on
// the same tokens and database (a bare node:crypto HMAC-SHA256 check and a bare indexed lookup),
// plus iron-session's unseal for the token-anatomy section.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import { sealData, unsealData } from 'iron-session';
import pg from 'pg';
import { getDatabaseKind, sqlitePath } from '@/lib/db/adapter';
import { getDb } from '@/lib/db/client';
import { countQueries } from '@/lib/db/query-counter';
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { percentile } from '@/lib/lab/metrics';
import { saveRun, type StoredRun } from '@/lib/lab/runs';
import { createSession, touchStatefulSession, verifySessionToken, type SessionUser } from '@/lib/session';
import { hashSecretId } from '@/lib/session/hash';
import { SESSION_ROW_SQL, toSessionRow } from '@/lib/session/row';
import { verifyStatefulSession } from '@/lib/session/stateful';
import { verifyStatelessSession } from '@/lib/session/stateless';
import { verifyTokenUncached } from '@/lib/session/token';
import { verifyTokenWithJose } from '@/lib/lab/jose-verify';
import { processSingleton } from '@/lib/process-state';

export type Stat = { p25?: number; p50: number; p75?: number; p95: number; perSecond: number; samples: number; queriesPerCheck?: number };

/**
 * Per mode: the check as requests see it (its p50… at the top level), `cold` the same check on a
 * token this process has not verified yet, `library` the path it replaced: jose's jwtVerify with a
 * WebCrypto key, and for stateful the row read through Prisma's query engine.
 */
type ModeBenchmark = Stat & { queriesPerCheck: number; cold: Stat; library: Stat };

export type BenchmarkResult = {
  /** 2 since the check's optimisations (issue 11); older stored runs are not shown. */
  version: 2;
  iterations: number;
  database: 'sqlite' | 'postgresql';
  modes: Record<SessionMode, ModeBenchmark>;
  floors: { hmac: Stat; lookup: Stat };
  ironUnseal: Stat;
};

export const BENCHMARK_VERSION = 2;

export type Progress = { phase: string; done: number; total: number };

const TOKENS_PER_MODE = 20;
const YIELD_EVERY = 100;
const BENCH_CLIENT = { userAgent: 'Benchmark (throwaway session)', ip: 'server' };

/** Times `iterations` calls of fn, yielding to the event loop now and then so the server stays responsive. */
async function measure(iterations: number, fn: (i: number) => unknown, onTick: (done: number) => void) {
  const micros: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    micros.push((performance.now() - t) * 1000);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) {
      onTick(i + 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  micros.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p25: round(percentile(micros, 25)),
    p50: round(percentile(micros, 50)),
    p75: round(percentile(micros, 75)),
    p95: round(percentile(micros, 95)),
    perSecond: Math.round(iterations / elapsed),
    samples: iterations,
  };
}

/** A bare HMAC-SHA256 verification plus JSON.parse: what any JWT check costs at the very least. */
function rawHmacVerify(key: Buffer, token: string) {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
  return JSON.parse(Buffer.from(payload, 'base64url').toString());
}

/** The same header and payload, signed with another key. */
function resignedCopy(token: string, key: Buffer) {
  const [header, payload] = token.split('.');
  return `${header}.${payload}.${createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')}`;
}

/** A bare indexed lookup of a session row, straight through the driver: the database's floor. */
async function openRawLookup(): Promise<{ lookup: (hash: string) => unknown; close: () => Promise<void> }> {
  const url = getEnv().DATABASE_URL;
  const sql = 'SELECT "revokedAt", "expiresAt" FROM "Session" WHERE "tokenHash" = ';
  if (getDatabaseKind(url) === 'sqlite') {
    const db = new Database(sqlitePath(url), { readonly: true, fileMustExist: true });
    const statement = db.prepare(`${sql}?`);
    return {
      lookup: (hash) => statement.get(hash),
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { lookup: (hash) => client.query({ name: 'bench-lookup', text: `${sql}$1`, values: [hash] }), close: () => client.end() };
}

/** The stateful row read the way the check did before: through Prisma's query engine. */
function readRowThroughPrisma(tokenHash: string) {
  const sql = getDatabaseKind(getEnv().DATABASE_URL) === 'sqlite' ? SESSION_ROW_SQL.replace('$1', '?') : SESSION_ROW_SQL;
  return getDb()
    .$queryRawUnsafe<Record<string, unknown>[]>(sql, tokenHash)
    .then(([row]) => toSessionRow(row && Object.values(row)));
}

/** Every check of the library path must see its row and accept, or the comparison is void. */
async function libraryCheck(token: string) {
  const verified = await verifyTokenWithJose(token);
  if (!verified.ok) throw new Error(`benchmark token rejected by jose: ${verified.reason}`);
  if (verified.token.mode === 'stateless') return verifyStatelessSession(verified.token);
  const row = await readRowThroughPrisma(verified.token.tokenHash);
  if (!row) throw new Error('benchmark row missing');
  return row;
}

/** The reference's check on a token it has not cached: what the first request of a token costs. */
async function coldCheck(token: string) {
  const verified = verifyTokenUncached(token);
  if (!verified.ok) throw new Error(`benchmark token rejected: ${verified.reason}`);
  if (verified.token.mode === 'stateless') return verifyStatelessSession(verified.token);
  const result = await verifyStatefulSession(verified.token);
  if (!result.ok) throw new Error(`benchmark session refused: ${result.reason}`);
  return result;
}

const lock = processSingleton('benchmark-lock', () => ({ running: false }));

export function isBenchmarkRunning() {
  return lock.running;
}

async function issueTokens(user: SessionUser, perMode: number) {
  const tokens: Record<SessionMode, string[]> = { stateless: [], stateful: [] };
  const sessionIds: string[] = [];
  for (const mode of ['stateless', 'stateful'] as const) {
    for (let i = 0; i < perMode; i++) {
      const issued = await createSession(user, mode, BENCH_CLIENT);
      tokens[mode].push(issued.token);
      sessionIds.push(issued.sessionId);
    }
  }
  return { tokens, sessionIds };
}

/** Measures without storing: the comparison page's run and `npm run bench` share this. */
export async function measureSessionChecks(user: SessionUser, onProgress: (progress: Progress) => void, iterations = 2000): Promise<BenchmarkResult> {
  const { tokens, sessionIds } = await issueTokens(user, TOKENS_PER_MODE);
  try {
    const unsealIterations = Math.max(50, Math.round(iterations / 4));
    const total = iterations * 8 + unsealIterations;
    let base = 0;
    const tick = (phase: string) => (done: number) => onProgress({ phase, done: base + done, total });
    const timed = async (phase: string, fn: (i: number) => unknown) => {
      const stat = await measure(iterations, fn, tick(phase));
      base += iterations;
      return stat;
    };
    onProgress({ phase: 'stateless', done: 0, total });

    const modes = {} as Record<SessionMode, ModeBenchmark>;
    for (const mode of ['stateless', 'stateful'] as const) {
      const list = tokens[mode];
      for (const token of list) await libraryCheck(token); // warm-up: JIT, key import, statement caches
      const library = await timed(`${mode}, library path`, (i) => libraryCheck(list[i % list.length]));
      const cold = await timed(`${mode}, first sight of a token`, (i) => coldCheck(list[i % list.length]));
      // The statements are counted in a pass of their own, so the count's bookkeeping is not timed.
      let queries = 0;
      for (const token of list) queries += (await countQueries(() => verifySessionToken(token))).queries;
      const check = await timed(`${mode}, as requests see it`, async (i) => {
        const result = await verifySessionToken(list[i % list.length]);
        if (!result.ok) throw new Error(`benchmark token rejected: ${result.reason}`);
      });
      modes[mode] = { ...check, queriesPerCheck: queries / list.length, cold, library };
    }

    // The floor verifies tokens of the same size and shape, signed with a throwaway key: the lab
    // never needs the server's own key bytes.
    const floorKey = randomBytes(32);
    const floorTokens = tokens.stateless.map((token) => resignedCopy(token, floorKey));
    const hmac = await timed('floor: raw HMAC', (i) => rawHmacVerify(floorKey, floorTokens[i % floorTokens.length]));

    const hashes = tokens.stateful.map((token) => hashSecretId(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid));
    const raw = await openRawLookup();
    let lookup: Stat;
    try {
      lookup = await timed('floor: raw lookup', (i) => raw.lookup(hashes[i % hashes.length]));
    } finally {
      await raw.close();
    }

    const password = randomBytes(32).toString('hex'); // a throwaway: only the cost is of interest
    const sealed = await sealData({ sub: user.id, name: user.name, role: user.role }, { password, ttl: 3600 });
    const ironUnseal = await measure(unsealIterations, () => unsealData(sealed, { password, ttl: 3600 }), tick('iron-session unseal'));
    onProgress({ phase: 'saving', done: total, total });
    return { version: BENCHMARK_VERSION, iterations, database: getDatabaseKind(getEnv().DATABASE_URL), modes, floors: { hmac, lookup }, ironUnseal };
  } finally {
    await getDb().session.deleteMany({ where: { id: { in: sessionIds } } });
  }
}

export async function runBenchmark(user: SessionUser, onProgress: (progress: Progress) => void, iterations = 2000): Promise<StoredRun<BenchmarkResult>> {
  if (lock.running) throw new Error('A benchmark is already running');
  lock.running = true;
  try {
    return await saveRun<BenchmarkResult>('benchmark', await measureSessionChecks(user, onProgress, iterations));
  } finally {
    lock.running = false;
  }
}

export type DatabaseWork = { requests: number; devices: number; reads: number; writes: number };

/**
 * Statements per request as the data-access layer sends them: `requests` checks spread over
 * `devices` sessions whose "last active" time is older than the write interval, each followed by
 * the write the check asked for, if any. So the writes show the once-per-interval rule at work.
 */
export async function countDatabaseWork(user: SessionUser, requests = 1000, devices = 20): Promise<Record<SessionMode, DatabaseWork>> {
  const { tokens, sessionIds } = await issueTokens(user, devices);
  try {
    const stale = new Date(Date.now() - (getEnv().SESSION_ACTIVITY_INTERVAL_SECONDS + 60) * 1000);
    await getDb().session.updateMany({ where: { id: { in: sessionIds } }, data: { lastActiveAt: stale } });
    const work = {} as Record<SessionMode, DatabaseWork>;
    for (const mode of ['stateless', 'stateful'] as const) {
      let reads = 0;
      let writes = 0;
      for (let i = 0; i < requests; i++) {
        const counted = await countQueries(async () => {
          const result = await verifySessionToken(tokens[mode][i % devices]);
          if (!result.ok) throw new Error(`benchmark token rejected: ${result.reason}`);
          if (result.activityDue) await touchStatefulSession(result.session.tokenHash);
        });
        reads += counted.queries - counted.writes;
        writes += counted.writes;
      }
      work[mode] = { requests, devices, reads, writes };
    }
    return work;
  } finally {
    await getDb().session.deleteMany({ where: { id: { in: sessionIds } } });
  }
}
