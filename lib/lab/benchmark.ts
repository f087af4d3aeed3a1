import 'server-only';
// The in-server benchmark: session checks of each mode against freshly issued tokens, next to
// two floors measured on the same tokens and database (a bare node:crypto HMAC-SHA256 check and a
// bare indexed lookup), plus iron-session's unseal for the token-anatomy section.
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
import { createSession, verifySessionToken, type SessionUser } from '@/lib/session';
import { hashSecretId } from '@/lib/session/hash';
import { processSingleton } from '@/lib/process-state';

type Stat = { p25?: number; p50: number; p75?: number; p95: number; perSecond: number; samples: number; queriesPerCheck?: number };

export type BenchmarkResult = {
  iterations: number;
  modes: Record<SessionMode, Stat>;
  floors: { hmac: Stat; lookup: Stat };
  ironUnseal: Stat;
};

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

const lock = processSingleton('benchmark-lock', () => ({ running: false }));

export function isBenchmarkRunning() {
  return lock.running;
}

export async function runBenchmark(user: SessionUser, onProgress: (progress: Progress) => void, iterations = 2000): Promise<StoredRun<BenchmarkResult>> {
  if (lock.running) throw new Error('A benchmark is already running');
  lock.running = true;
  const sessionIds: string[] = [];
  try {
    const tokens: Record<SessionMode, string[]> = { stateless: [], stateful: [] };
    for (const mode of ['stateless', 'stateful'] as const) {
      for (let i = 0; i < TOKENS_PER_MODE; i++) {
        const issued = await createSession(user, mode, BENCH_CLIENT);
        tokens[mode].push(issued.token);
        sessionIds.push(issued.sessionId);
      }
    }
    const unsealIterations = Math.max(50, Math.round(iterations / 4));
    const phases = ['stateless', 'stateful', 'hmac', 'lookup', 'iron'];
    const total = iterations * 4 + unsealIterations;
    let base = 0;
    const tick = (phase: string) => (done: number) => onProgress({ phase, done: base + done, total });
    const next = (count: number) => {
      base += count;
    };
    onProgress({ phase: phases[0], done: 0, total });

    const modes = {} as Record<SessionMode, Stat>;
    for (const mode of ['stateless', 'stateful'] as const) {
      const list = tokens[mode];
      for (const token of list) await verifySessionToken(token); // warm-up
      let queries = 0;
      const stat = await measure(
        iterations,
        async (i) => {
          const { result, queries: q } = await countQueries(() => verifySessionToken(list[i % list.length]));
          if (!result.ok) throw new Error(`benchmark token rejected: ${result.reason}`);
          queries += q;
        },
        tick(mode),
      );
      modes[mode] = { ...stat, queriesPerCheck: queries / iterations };
      next(iterations);
    }

    // The floor verifies tokens of the same size and shape, signed with a throwaway key: the lab
    // never needs the server's own key bytes.
    const floorKey = randomBytes(32);
    const floorTokens = tokens.stateless.map((token) => resignedCopy(token, floorKey));
    const hmac = await measure(iterations, (i) => rawHmacVerify(floorKey, floorTokens[i % floorTokens.length]), tick('hmac'));
    next(iterations);

    const hashes = tokens.stateful.map((token) => hashSecretId(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid));
    const raw = await openRawLookup();
    let lookup: Stat;
    try {
      lookup = await measure(iterations, (i) => raw.lookup(hashes[i % hashes.length]), tick('lookup'));
    } finally {
      await raw.close();
    }
    next(iterations);

    const password = randomBytes(32).toString('hex'); // a throwaway: only the cost is of interest
    const sealed = await sealData({ sub: user.id, name: user.name, role: user.role }, { password, ttl: 3600 });
    const ironUnseal = await measure(unsealIterations, () => unsealData(sealed, { password, ttl: 3600 }), tick('iron'));
    onProgress({ phase: 'saving', done: total, total });

    return await saveRun<BenchmarkResult>('benchmark', { iterations, modes, floors: { hmac, lookup }, ironUnseal });
  } finally {
    await getDb().session.deleteMany({ where: { id: { in: sessionIds } } });
    lock.running = false;
  }
}
