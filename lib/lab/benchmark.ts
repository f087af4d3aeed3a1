import 'server-only';
// The benchmark of the session check, used by the comparison page's button and by `npm run bench`:
// each mode's check on the core's own path (jose's jwtVerify, Prisma's findUnique), and on the fast
// path the demo runs (lib/fast-path/: the lean verifier with its cache, the prepared read) both as
// requests see it (the token already verified by the proxy) and on a token's first sight, next to
// two floors measured in the same run on the same tokens and database (a bare node:crypto
// HMAC-SHA256 check and a bare indexed lookup), plus iron-session's unseal for the token-anatomy
// section, what one hybrid refresh costs the database, and what each signing algorithm costs
// (algorithm-cost.ts). The path is switched for each measurement and put back afterwards.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import { sealData, unsealData } from 'iron-session';
import pg from 'pg';
import { getDatabaseKind, sqlitePath } from '@/lib/db/adapter';
import { getDb } from '@/lib/db/client';
import { countQueries } from '@/lib/db/query-counter';
import { getEnv } from '@/lib/env';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { ALGORITHM_MEASUREMENTS, measureAlgorithms, type AlgorithmCosts } from '@/lib/lab/algorithm-cost';
import { measure, type Stat } from '@/lib/lab/measure';
import { saveRun, type StoredByMode, type StoredRun } from '@/lib/lab/runs';
import { installFastPath, switchFastPath } from '@/lib/fast-path/install';
import { verifyLean } from '@/lib/fast-path/lean-verifier';
import { hashSecretId } from '@/lib/session/01-settings';
import { setTokenVerifier } from '@/lib/session/02-tokens';
import type { SessionUser } from '@/lib/session/04-store';
import { refreshSession } from '@/lib/session/09-hybrid';
import { checkSession, createSession, recordActivity } from '@/lib/session/10-sessions';
import { processSingleton } from '@/lib/process-state';

export type { Stat };

/**
 * Per mode: the fast path's check as requests see it (its p50… at the top level), `cold` the same
 * check on a token this process has not verified yet, `core` the core's own path: jose's jwtVerify
 * with a WebCrypto key, and for stateful the row through Prisma's findUnique. `queriesPerCheck`
 * and `coreQueriesPerCheck`: statements per check on each path, counted over `checksCounted` checks.
 */
type ModeBenchmark = Stat & { queriesPerCheck: number; checksCounted: number; cold: Stat; core: Stat; coreQueriesPerCheck: number };

/** Statements sent by `refreshes` real hybrid refreshes (each rotates one session's refresh token). */
type RefreshWork = { refreshes: number; reads: number; writes: number };

export type BenchmarkResult = {
  /** 3 since the core's own path and the fast path are measured apart; older stored runs are not shown. */
  version: 3;
  iterations: number;
  database: 'sqlite' | 'postgresql';
  modes: StoredByMode<ModeBenchmark>;
  floors: { hmac: Stat; lookup: Stat };
  ironUnseal: Stat;
  /** Hybrid's database work, which happens once per access token, not per check. */
  refresh?: RefreshWork;
  /** HS256 against EdDSA, measured in the same run. */
  algorithms?: AlgorithmCosts;
};

export const BENCHMARK_VERSION = 3;

export type Progress = { phase: string; done: number; total: number };

const TOKENS_PER_MODE = 20;
/** Checks per mode whose statements are counted: enough that one stray statement would show. */
const CHECKS_COUNTED = 1000;
const BENCH_CLIENT = { userAgent: 'Benchmark (throwaway session)', ip: 'server' };

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

/** The check of a request, which must accept, or the comparison is void. */
async function check(token: string) {
  const result = await checkSession(token);
  if (!result.ok) throw new Error(`benchmark session refused: ${result.reason}`);
  return result;
}

/** Runs `run` on one path of the session code, then puts back the path the server runs. */
async function onPath<T>(path: 'core' | 'fast' | 'first sight', run: () => Promise<T>): Promise<T> {
  switchFastPath(path !== 'core');
  if (path === 'first sight') setTokenVerifier(verifyLean);
  try {
    return await run();
  } finally {
    installFastPath();
  }
}

const lock = processSingleton('benchmark-lock', () => ({ running: false }));

export function isBenchmarkRunning() {
  return lock.running;
}

/** `perMode` sessions of each mode; hybrid's refresh tokens too, for the refresh's cost. */
async function issueTokens(user: SessionUser, perMode: number) {
  const tokens: Record<SessionMode, string[]> = { stateless: [], stateful: [], hybrid: [] };
  const refreshTokens: string[] = [];
  const sessionIds: string[] = [];
  for (const mode of SESSION_MODES) {
    for (let i = 0; i < perMode; i++) {
      const issued = await createSession(user, mode, BENCH_CLIENT);
      tokens[mode].push(issued.token);
      if (issued.cookies?.refresh) refreshTokens.push(issued.cookies.refresh);
      sessionIds.push(issued.sessionId);
    }
  }
  return { tokens, refreshTokens, sessionIds };
}

/** Each refresh token exchanged once, as the proxy does when an access token is due: every one rotates. */
async function countRefreshWork(refreshTokens: string[]): Promise<RefreshWork> {
  const work: RefreshWork = { refreshes: 0, reads: 0, writes: 0 };
  for (const refreshToken of refreshTokens) {
    const counted = await countQueries(() => refreshSession(refreshToken));
    if (!counted.result.ok || !counted.result.rotated)
      throw new Error(`benchmark refresh refused: ${counted.result.ok ? 'not rotated' : counted.result.reason}`);
    work.refreshes += 1;
    work.reads += counted.queries - counted.writes;
    work.writes += counted.writes;
  }
  return work;
}

/** Measures without storing: the comparison page's run and `npm run bench` share this. */
export async function measureSessionChecks(user: SessionUser, onProgress: (progress: Progress) => void, iterations = 2000): Promise<BenchmarkResult> {
  const { tokens, refreshTokens, sessionIds } = await issueTokens(user, TOKENS_PER_MODE);
  try {
    const unsealIterations = Math.max(50, Math.round(iterations / 4));
    const total = iterations * (3 * SESSION_MODES.length + 2 + ALGORITHM_MEASUREMENTS) + unsealIterations;
    const countPerCheck = async (list: string[]) => {
      let queries = 0;
      for (let i = 0; i < CHECKS_COUNTED; i++) queries += (await countQueries(() => check(list[i % list.length]))).queries;
      return queries / CHECKS_COUNTED;
    };
    let base = 0;
    const tick = (phase: string) => (done: number) => onProgress({ phase, done: base + done, total });
    const timed = async (phase: string, fn: (i: number) => unknown) => {
      const stat = await measure(iterations, fn, tick(phase));
      base += iterations;
      return stat;
    };
    onProgress({ phase: 'stateless', done: 0, total });

    const modes = {} as Record<SessionMode, ModeBenchmark>;
    for (const mode of SESSION_MODES) {
      const list = tokens[mode];
      const sample = (i: number) => check(list[i % list.length]);
      // Each path: a warm-up (JIT, key imports, statement caches, the verified-token cache), the
      // statements counted in a pass of their own (so the count's bookkeeping is not timed), the time.
      const core = await onPath('core', async () => {
        for (const token of list) await check(token);
        return { queries: await countPerCheck(list), stat: await timed(`${mode}, core path`, sample) };
      });
      const cold = await onPath('first sight', () => timed(`${mode}, first sight of a token`, sample));
      const fast = await onPath('fast', async () => {
        for (const token of list) await check(token);
        return { queries: await countPerCheck(list), stat: await timed(`${mode}, as requests see it`, sample) };
      });
      modes[mode] = { ...fast.stat, queriesPerCheck: fast.queries, checksCounted: CHECKS_COUNTED, cold, core: core.stat, coreQueriesPerCheck: core.queries };
    }
    // After the checks: a refresh rotates, and the hybrid tokens above must stay as they were.
    const refresh = await countRefreshWork(refreshTokens);

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

    const algorithms = await measureAlgorithms(iterations, timed);

    const password = randomBytes(32).toString('hex'); // a throwaway: only the cost is of interest
    const sealed = await sealData({ sub: user.id, name: user.name, role: user.role }, { password, ttl: 3600 });
    const ironUnseal = await measure(unsealIterations, () => unsealData(sealed, { password, ttl: 3600 }), tick('iron-session unseal'));
    onProgress({ phase: 'saving', done: total, total });
    return {
      version: BENCHMARK_VERSION,
      iterations,
      database: getDatabaseKind(getEnv().DATABASE_URL),
      modes,
      floors: { hmac, lookup },
      ironUnseal,
      refresh,
      algorithms,
    };
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
 * Statements per request as the data-access layer sends them on the path the server runs:
 * `requests` checks spread over `devices` sessions whose "last active" time is older than the
 * write interval, each followed by the write the check asked for, if any. So the writes show the
 * once-per-interval rule at work.
 */
export async function countDatabaseWork(user: SessionUser, requests = 1000, devices = 20): Promise<Record<SessionMode, DatabaseWork>> {
  const { tokens, sessionIds } = await issueTokens(user, devices);
  installFastPath();
  try {
    const stale = new Date(Date.now() - (getEnv().SESSION_ACTIVITY_INTERVAL_SECONDS + 60) * 1000);
    await getDb().session.updateMany({ where: { id: { in: sessionIds } }, data: { lastActiveAt: stale } });
    const work = {} as Record<SessionMode, DatabaseWork>;
    for (const mode of SESSION_MODES) {
      let reads = 0;
      let writes = 0;
      for (let i = 0; i < requests; i++) {
        const counted = await countQueries(async () => {
          const result = await check(tokens[mode][i % devices]);
          if (result.activityDue) await recordActivity(result.session);
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
