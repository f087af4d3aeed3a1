import 'server-only';
// The benchmark of the session check, used by the comparison page's button and by `npm run bench`:
// each mode's check as requests see it (verified tokens cached, the stateful row read through a
// prepared statement), the same check the first time a token is seen (no cache), and the library
// path it replaced (jose, and Prisma for the row), next to two floors measured in the same run on
// the same tokens and database (a bare node:crypto HMAC-SHA256 check and a bare indexed lookup),
// plus iron-session's unseal for the token-anatomy section, what one hybrid refresh costs the
// database, and what each signing algorithm costs (algorithm-cost.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import { sealData, unsealData } from 'iron-session';
import pg from 'pg';
import { getDatabaseKind, sqlitePath } from '@/lib/db/adapter';
import { getDb } from '@/lib/db/client';
import { countQueries } from '@/lib/db/query-counter';
import { getEnv } from '@/lib/env';
import { SESSION_MODES, type SessionMode } from '@/lib/session/modes';
import { ALGORITHM_MEASUREMENTS, measureAlgorithms, type AlgorithmCosts } from '@/lib/lab/algorithm-cost';
import { measure, type Stat } from '@/lib/lab/measure';
import { saveRun, type StoredByMode, type StoredRun } from '@/lib/lab/runs';
import { createSession, touchStatefulSession, verifySessionToken, type SessionUser } from '@/lib/session';
import { hashSecretId } from '@/lib/session/hash';
import { refreshHybridSession, verifyHybridSession } from '@/lib/session/hybrid';
import { SESSION_ROW_SQL, toSessionRow } from '@/lib/session/row';
import { verifyStatefulSession } from '@/lib/session/stateful';
import { verifyStatelessSession } from '@/lib/session/stateless';
import { verifyTokenUncached } from '@/lib/session/token';
import { verifyTokenWithJose } from '@/lib/lab/jose-verify';
import { processSingleton } from '@/lib/process-state';

export type { Stat };

/**
 * Per mode: the check as requests see it (its p50… at the top level), `cold` the same check on a
 * token this process has not verified yet, `library` the path it replaced: jose's jwtVerify with a
 * WebCrypto key, and for stateful the row read through Prisma's query engine. `queriesPerCheck`:
 * statements per check, counted over `checksCounted` checks (20 in runs from before issue 12).
 */
type ModeBenchmark = Stat & { queriesPerCheck: number; checksCounted?: number; cold: Stat; library: Stat };

/** Statements sent by `refreshes` real hybrid refreshes (each rotates one session's refresh token). */
type RefreshWork = { refreshes: number; reads: number; writes: number };

export type BenchmarkResult = {
  /** 2 since the check's optimisations (issue 11); older stored runs are not shown. */
  version: 2;
  iterations: number;
  database: 'sqlite' | 'postgresql';
  modes: StoredByMode<ModeBenchmark>;
  floors: { hmac: Stat; lookup: Stat };
  ironUnseal: Stat;
  /** Hybrid's database work, which happens once per access token, not per check (issue 12). */
  refresh?: RefreshWork;
  /** HS256 against EdDSA, measured in the same run (issue 12). */
  algorithms?: AlgorithmCosts;
};

export const BENCHMARK_VERSION = 2;

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
  if (verified.token.mode === 'hybrid') return verifyHybridSession(verified.token);
  const row = await readRowThroughPrisma(verified.token.tokenHash);
  if (!row) throw new Error('benchmark row missing');
  return row;
}

/** The reference's check on a token it has not cached: what the first request of a token costs. */
async function coldCheck(token: string) {
  const verified = verifyTokenUncached(token);
  if (!verified.ok) throw new Error(`benchmark token rejected: ${verified.reason}`);
  if (verified.token.mode === 'stateless') return verifyStatelessSession(verified.token);
  if (verified.token.mode === 'hybrid') return verifyHybridSession(verified.token);
  const result = await verifyStatefulSession(verified.token);
  if (!result.ok) throw new Error(`benchmark session refused: ${result.reason}`);
  return result;
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
      if (issued.refreshToken) refreshTokens.push(issued.refreshToken);
      sessionIds.push(issued.sessionId);
    }
  }
  return { tokens, refreshTokens, sessionIds };
}

/** Each refresh token exchanged once, as the proxy does when an access token is due: every one rotates. */
async function countRefreshWork(refreshTokens: string[]): Promise<RefreshWork> {
  const work: RefreshWork = { refreshes: 0, reads: 0, writes: 0 };
  for (const refreshToken of refreshTokens) {
    const counted = await countQueries(() => refreshHybridSession(refreshToken));
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
      for (const token of list) await libraryCheck(token); // warm-up: JIT, key import, statement caches
      const library = await timed(`${mode}, library path`, (i) => libraryCheck(list[i % list.length]));
      const cold = await timed(`${mode}, first sight of a token`, (i) => coldCheck(list[i % list.length]));
      // The statements are counted in a pass of their own, so the count's bookkeeping is not timed.
      let queries = 0;
      for (let i = 0; i < CHECKS_COUNTED; i++) queries += (await countQueries(() => verifySessionToken(list[i % list.length]))).queries;
      const check = await timed(`${mode}, as requests see it`, async (i) => {
        const result = await verifySessionToken(list[i % list.length]);
        if (!result.ok) throw new Error(`benchmark token rejected: ${result.reason}`);
      });
      modes[mode] = { ...check, queriesPerCheck: queries / CHECKS_COUNTED, checksCounted: CHECKS_COUNTED, cold, library };
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
    for (const mode of SESSION_MODES) {
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
