// `npm run bench:scale`: how the cost of the session queries grows when the tables grow.
// It starts a throwaway PostgreSQL 18 (node_modules), fills two databases of it in bulk with the
// same shapes at two sizes (1,000 sessions and, by default, 1,000,000), and measures each query of
// a session's life in-process, through the app's own functions: the stateful check, a login, the
// devices page of a user with 1,000 sessions, the active-user count, a hybrid refresh, the JWKS and
// the clean-up. Every figure is printed beside its value on the small tables of the same run, and
// every statement Prisma sent is explained (EXPLAIN, with its own parameters): which indexes it
// uses, whether it scans a big table, whether anything bounds the rows it reads.
// `--smoke` (10,000 sessions, a few samples) is for `npm test`: it fails only on what holds on any
// machine and at any size, read from the plans PostgreSQL makes with sequential scans and sorts
// disabled: a statement no index serves, or one nothing bounds. `--sessions N` sets the large size;
// `--purge-budget-seconds N` how long a clean-up pass may run before it is stopped (300).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import type { SessionUser } from '@/lib/session/04-store';
import type { Session } from '@/lib/session/05-session';
import type { SessionMode } from '@/lib/session/modes';
import type { PurgeReport } from '@/lib/session/housekeeping';
import type { ScaleSummary } from '@/lib/lab/scale-report';
import type autocannon from 'autocannon';
import { startAppServer } from './app-server';
import { floodLoginsOverHttp } from './login-flood';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    sessions: { type: 'string' },
    'purge-budget-seconds': { type: 'string' },
    child: { type: 'string' }, // internal: the process that measures one database
  },
});

const SMOKE = flags.smoke;
const SMALL_SESSIONS = 1000;
const LARGE_SESSIONS = z.coerce
  .number()
  .int()
  .min(SMALL_SESSIONS, `--sessions must be at least ${SMALL_SESSIONS}`)
  .max(50_000_000)
  .parse(flags.sessions ?? (SMOKE ? 10_000 : 1_000_000));
const PURGE_BUDGET_SECONDS = z.coerce
  .number()
  .positive()
  .parse(flags['purge-budget-seconds'] ?? (SMOKE ? 60 : 300));
// The heavy user has as many sessions at every size, so /devices compares like with like: only the
// rest of the table grows around it.
const HEAVY_SESSIONS = 1000;
const CHUNK_ROWS = 100_000;
// A sequential scan of a table this big is a finding even where it is not one of the four below.
const SEQ_SCAN_ROWS = 5000;
// The tables that grow with users and logins: no statement may scan them whole.
const BIG_TABLES = ['Session', 'RefreshToken', 'RateLimiterFlexible', 'User'];
const IDLE_TIMEOUT_MINUTES = 30; // SESSION_IDLE_TIMEOUT_SECONDS's default
const TSX = path.resolve('node_modules/.bin/tsx');
const CLIENT = { userAgent: 'npm run bench:scale', ip: 'bench' };

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

// ——— what the databases hold ———

type Shape = { sessions: number; users: number; refreshTokens: number; counters: number; heavySessions: number };

/** One user per ten sessions, a refresh token per session (about three per hybrid one), a throttle counter per five. */
const shapeOf = (sessions: number): Shape => ({
  sessions,
  users: Math.max(10, Math.round(sessions / 10)),
  refreshTokens: sessions,
  counters: Math.max(10, Math.round(sessions / 5)),
  heavySessions: HEAVY_SESSIONS,
});

// A uniform number in [0, 1) from a row's number and a seed: the same data on every run, and
// independent draws for each column.
const u = (value: string, seed: number) => `((hashint8extended(${value}, ${seed}) & 2147483647)::float8 / 2147483648)`;
const hex = (prefix: string, value: string) => `encode(sha256(convert_to('${prefix}' || ${value}, 'UTF8')), 'hex')`;
const userIdOf = (value: string) => `left(md5('user-' || ${value}), 22)`;
// The same id the fill's SQL would give a user numbered 'heavy'.
const HEAVY_USER_ID = createHash('md5').update('user-heavy').digest('hex').slice(0, 22);

const USERS_SQL = `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "createdAt")
SELECT ${userIdOf('i')}, 'user' || i || '@scale.test', 'User ' || i, 'not-a-real-hash', 'user', $3::timestamp - interval '30 days'
FROM generate_series($1::int, $2::int) AS i`;

// Sessions i = $1…$2 of $4 users. Mode by i % 3, so the hybrid ones are i = 2, 5, 8, … and refresh
// tokens can name them without a lookup. Category by a draw: 0–6 live (0–3 active within the idle
// limit, 4–6 longer ago), 7 revoked, 8 idle, 9 expired; $5 forces one (the heavy user's live
// sessions), $6 names the user. Lifetimes as the app's defaults: 15 minutes stateless, 7 days
// otherwise. A stateless row never records activity, so an "idle" one has simply expired.
const SESSIONS_SQL = `INSERT INTO "Session" ("id", "tokenHash", "userId", "mode", "deviceId", "authenticatedAt", "userAgent", "ip", "createdAt", "lastActiveAt", "expiresAt", "revokedAt", "revokedReason")
SELECT md5('session-' || g.i), ${hex('token-', 'g.i')}, coalesce($6, ${userIdOf(`1 + floor(${u('g.i', 1)} * $4::int)::int`)}), m.mode, left(md5('device-' || g.i), 22),
  a.created, (ARRAY['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 'okhttp/4.12.0'])[1 + floor(r.u6 * 5)::int],
  '10.' || (g.i >> 16 & 255) || '.' || (g.i >> 8 & 255) || '.' || (g.i & 255),
  a.created, b.active, a.created + m.lifetime, b.revoked, CASE WHEN b.revoked IS NULL THEN NULL ELSE 'signed-out' END
FROM generate_series($1::int, $2::int) AS g(i)
CROSS JOIN LATERAL (SELECT ${u('g.i', 3)} AS u3, ${u('g.i', 4)} AS u4, ${u('g.i', 5)} AS u5, ${u('g.i', 6)} AS u6, $3::timestamp AS now) r
CROSS JOIN LATERAL (SELECT CASE g.i % 3 WHEN 0 THEN 'stateless' WHEN 1 THEN 'stateful' ELSE 'hybrid' END AS mode,
  CASE WHEN g.i % 3 = 0 THEN interval '15 minutes' ELSE interval '7 days' END AS lifetime,
  coalesce($5::int, floor(r.u3 * 10)::int) AS category) m
CROSS JOIN LATERAL (SELECT CASE
  WHEN m.category <= 6 THEN r.now - CASE WHEN m.mode = 'stateless' THEN interval '5 minutes' ELSE interval '6 days' END * r.u4
  WHEN m.category = 7 THEN r.now - interval '3 days' * r.u4
  WHEN m.category = 8 THEN r.now - interval '${IDLE_TIMEOUT_MINUTES} minutes' - interval '2 days' * r.u5 - interval '1 day' * r.u4
  ELSE r.now - interval '3 days' * r.u5 - m.lifetime END AS created) a
CROSS JOIN LATERAL (SELECT CASE WHEN m.category = 7 THEN a.created + (r.now - a.created) * r.u5 END AS revoked) c
CROSS JOIN LATERAL (SELECT CASE
  WHEN m.mode = 'stateless' THEN a.created
  WHEN m.category <= 3 THEN greatest(a.created, r.now - interval '20 minutes' * r.u5)
  WHEN m.category <= 6 THEN greatest(a.created, r.now - interval '${IDLE_TIMEOUT_MINUTES} minutes' - interval '20 hours' * r.u5)
  WHEN m.category = 7 THEN c.revoked
  WHEN m.category = 8 THEN r.now - interval '${IDLE_TIMEOUT_MINUTES} minutes' - interval '2 days' * r.u5
  ELSE a.created + m.lifetime * r.u4 END AS active, c.revoked) b`;

// Refresh token j belongs to the ((j - 1) mod $4)-th hybrid session of the fill ($4: how many there are).
const REFRESH_TOKENS_SQL = `INSERT INTO "RefreshToken" ("hash", "sessionId", "createdAt")
SELECT ${hex('refresh-', 'j')}, md5('session-' || (3 * ((j - 1) % $4::int) + 2)), $3::timestamp - interval '7 days' * ${u('j', 7)}
FROM generate_series($1::int, $2::int) AS j`;

// Keys as rate-limiter-flexible writes them (prefix:base64url of a SHA-256); half expired, as a
// table looks between two clean-ups.
const COUNTERS_SQL = `INSERT INTO "RateLimiterFlexible" ("key", "points", "expire")
SELECT (ARRAY['loginsPerIp', 'loginFailuresPerAccount', 'signupsPerIp', 'passwordFailuresPerUser'])[1 + k % 4] || ':' ||
  translate(rtrim(encode(sha256(convert_to('subject-' || k, 'UTF8')), 'base64'), '='), '+/', '-_'), 1 + k % 5,
  CASE WHEN k % 2 = 0 THEN $3::timestamp - interval '2 hours' * ${u('k', 8)} ELSE $3::timestamp + interval '1 hour' * ${u('k', 8)} END
FROM generate_series($1::int, $2::int) AS k`;

async function inChunks(client: pg.Client, label: string, sql: string, total: number, extra: unknown[]) {
  for (let first = 1; first <= total; first += CHUNK_ROWS) {
    const last = Math.min(total, first + CHUNK_ROWS - 1);
    await client.query(sql, [first, last, ...extra]);
    if (total > CHUNK_ROWS) log(`  ${label}: ${last.toLocaleString('en')} / ${total.toLocaleString('en')}`);
  }
}

async function fill(url: string, database: string, shape: Shape) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A throwaway database: no durability needed while filling. The foreign keys' per-row checks
    // are skipped (the rows reference each other by construction, and are checked once below).
    await client.query(`SET synchronous_commit = off; SET session_replication_role = replica; SET maintenance_work_mem = '256MB'`);
    const now = new Date().toISOString();
    const started = Date.now();
    log(
      `${database}: filling ${shape.users.toLocaleString('en')} users, ${shape.sessions.toLocaleString('en')} sessions (+ ${shape.heavySessions} of one user), ${shape.refreshTokens.toLocaleString('en')} refresh tokens, ${shape.counters.toLocaleString('en')} throttle counters`,
    );
    await inChunks(client, `${database} users`, USERS_SQL, shape.users, [now]);
    await client.query(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role") VALUES ($1, 'heavy@scale.test', 'Heavy user', 'not-a-real-hash', 'user')`,
      [HEAVY_USER_ID],
    );
    await inChunks(client, `${database} sessions`, SESSIONS_SQL, shape.sessions, [now, shape.users, null, null]);
    // The heavy user's sessions are numbered after the others (so their ids differ), all live and active.
    await client.query(SESSIONS_SQL, [shape.sessions + 1, shape.sessions + shape.heavySessions, now, shape.users, 0, HEAVY_USER_ID]);
    await inChunks(client, `${database} refresh tokens`, REFRESH_TOKENS_SQL, shape.refreshTokens, [now, Math.floor((shape.sessions + 1) / 3)]);
    await inChunks(client, `${database} throttle counters`, COUNTERS_SQL, shape.counters, [now]);
    const orphans = await client.query(`SELECT
      (SELECT count(*) FROM "Session" s LEFT JOIN "User" u ON u."id" = s."userId" WHERE u."id" IS NULL) AS sessions,
      (SELECT count(*) FROM "RefreshToken" r LEFT JOIN "Session" s ON s."id" = r."sessionId" WHERE s."id" IS NULL) AS tokens`);
    if (Number(orphans.rows[0].sessions) || Number(orphans.rows[0].tokens))
      throw new Error(`${database}: the fill left rows without their parent: ${JSON.stringify(orphans.rows[0])}`);
    log(`${database}: VACUUM ANALYZE`);
    await client.query('VACUUM (ANALYZE)');
    // The fill's dirty pages written now, not by a checkpoint in the middle of the measuring.
    await client.query('CHECKPOINT');
    log(`${database}: filled in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await client.end();
  }
}

type TableSize = { table: string; rows: number; totalBytes: number; indexBytes: number };
/** The sessions as the app judges them when the measuring starts (a stateless row cannot be idle: it records no activity). */
type SessionStates = { live: number; idle: number; revoked: number; expired: number };

async function describeTables(url: string): Promise<{ tables: TableSize[]; sessions: SessionStates }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT c.relname AS table, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS total, pg_indexes_size(c.oid) AS indexes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' ORDER BY pg_total_relation_size(c.oid) DESC`,
    );
    const states = await client.query(
      `SELECT count(*) FILTER (WHERE "revokedAt" IS NOT NULL) AS revoked,
         count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" <= $1) AS expired,
         count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" > $1 AND "mode" <> 'stateless' AND "lastActiveAt" <= $2) AS idle,
         count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" > $1 AND ("mode" = 'stateless' OR "lastActiveAt" > $2)) AS live
       FROM "Session"`,
      [new Date().toISOString(), new Date(Date.now() - IDLE_TIMEOUT_MINUTES * 60_000).toISOString()],
    );
    const [count] = states.rows;
    return {
      tables: rows.map((row) => ({ table: row.table, rows: Math.max(0, Number(row.rows)), totalBytes: Number(row.total), indexBytes: Number(row.indexes) })),
      sessions: { live: Number(count.live), idle: Number(count.idle), revoked: Number(count.revoked), expired: Number(count.expired) },
    };
  } finally {
    await client.end();
  }
}

// ——— what a plan says ———

type PlanNode = {
  'Node Type': string;
  Strategy?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
  'Plan Rows': number;
  'Total Cost': number;
};

/**
 * How much of a table each scan may read. `bounded`: every scan of a table that grows is a lookup
 * by a unique key, or a LIMIT stops it: a LIMIT over a sort stops only a scan keyed by one value
 * (one user's sessions: the sort reads all of them first), and a LIMIT over a walk of a whole
 * index that filters its rows stops only once enough rows match. `perKey`: scans keyed by an
 * indexed value but for no LIMIT (every session of one user): as cheap as the biggest key is
 * small. `unbounded`: the rest.
 */
type PlanVerdict = {
  indexes: string[];
  seqScans: string[];
  bounded: boolean;
  boundedBy: string[];
  perKey: string[];
  unbounded: string[];
  estimatedRows: number;
  totalCost: number;
};

type IndexInfo = { unique: boolean; columns: string[] };

// Nodes that read all of their input before returning a row.
const isBlocking = (node: PlanNode) =>
  ['Sort', 'Hash', 'SetOp', 'WindowAgg'].includes(node['Node Type']) || (node['Node Type'] === 'Aggregate' && node.Strategy !== 'Sorted');

const equalityOn = (column: string, condition: string) => new RegExp(`(^|[^\\w"])"?${column}"?\\s*=`).test(condition);

/** `limited`: the statement has a LIMIT; without one, a Limit node is an OFFSET (the ORM adds OFFSET 0 to many reads). */
function judgePlan(root: PlanNode, indexInfo: Map<string, IndexInfo>, limited: boolean): PlanVerdict {
  const indexes = new Set<string>();
  const seqScans: string[] = [];
  const boundedBy = new Set<string>();
  const perKey: string[] = [];
  const unbounded: string[] = [];
  // The index lookups a scan makes: its own, or a bitmap scan's children.
  const lookups = (node: PlanNode): PlanNode[] =>
    node['Node Type'] === 'Bitmap Heap Scan' ? (node.Plans ?? []).flatMap(lookups) : node['Index Name'] ? [node] : [];
  const keyedBy = (node: PlanNode, columnsOf: (index: IndexInfo) => string[] | null) => {
    const found = lookups(node);
    return (
      found.length > 0 &&
      found.every((lookup) => {
        const index = indexInfo.get(lookup['Index Name']!);
        const columns = index && columnsOf(index);
        return !!columns && !!lookup['Index Cond'] && columns.every((column) => equalityOn(column, lookup['Index Cond']!));
      })
    );
  };
  const visit = (node: PlanNode, limit: 'none' | 'streaming' | 'blocked') => {
    let under = node['Node Type'] === 'Limit' && limited ? 'streaming' : limit;
    if (under === 'streaming' && isBlocking(node)) under = 'blocked';
    if (node['Index Name']) indexes.add(node['Index Name']);
    const relation = node['Relation Name'];
    if (relation && node['Node Type'] !== 'ModifyTable') {
      const how =
        lookups(node)
          .map((lookup) => `${lookup['Index Name']} (${lookup['Index Cond'] ?? 'no condition'})`)
          .join(' + ') || node['Node Type'];
      const scan = `${relation} via ${how}`;
      if (node['Node Type'] === 'Seq Scan') seqScans.push(relation);
      const keyed = keyedBy(node, (index) => index.columns.slice(0, 1));
      const narrowed = lookups(node).some((lookup) => lookup['Index Cond']);
      if (keyedBy(node, (index) => (index.unique ? index.columns : null))) boundedBy.add('unique key');
      else if (!BIG_TABLES.includes(relation)) boundedBy.add(`${relation} does not grow with users`);
      else if (under === 'streaming' && (narrowed || !node.Filter)) boundedBy.add('LIMIT');
      // As the rows that match grow rare (the last batches of a clean-up), such a walk reads the whole table.
      else if (under === 'streaming') unbounded.push(`${scan}, walked whole and filtered on ${node.Filter} until the LIMIT is met`);
      else if (under === 'blocked' && keyed) boundedBy.add('LIMIT, after reading every row of one key');
      else if (under === 'blocked') unbounded.push(`${scan}, every match read before the LIMIT`);
      else if (keyed) perKey.push(scan);
      else unbounded.push(scan);
    }
    for (const child of node.Plans ?? []) visit(child, under);
  };
  visit(root, 'none');
  if (boundedBy.size === 0 && perKey.length === 0 && unbounded.length === 0) boundedBy.add('no scan');
  return {
    indexes: [...indexes],
    seqScans,
    bounded: perKey.length === 0 && unbounded.length === 0,
    boundedBy: [...boundedBy],
    perKey,
    unbounded,
    estimatedRows: root['Plan Rows'],
    totalCost: root['Total Cost'],
  };
}

// ——— the child: one database, measured through the app's own functions ———

type Captured = { sql: string; values: unknown[]; atMs: number };
/**
 * `plan`: what PostgreSQL chooses on this database; `indexOnly`: its plan with sequential scans
 * disabled, which still scans a table whole only where no index can serve the statement, or, where
 * that plan sorts a range before a LIMIT, with sorts disabled too, if that one is bounded (an index
 * gives the order). The assertions read it, so they hold at any size: on a small table a
 * sequential scan, or sorting a few hundred rows, is often the cheaper choice, and says nothing
 * about the large one.
 */
type Explained = { plan: PlanNode; verdict: PlanVerdict };
type ExplainedStatement = { sql: string; values: unknown[]; chosen: Explained; indexOnly: Explained; bigSeqScans: string[] };
type OperationPlans = { operation: string; statements: number; explained: ExplainedStatement[]; skipped: string[] };
const PURGE_JOBS = ['purgeSessions', 'purgeExpiredCounters'] as const;
type PurgeJob = (typeof PURGE_JOBS)[number];
/** `finished` false: stopped after the time it was given, the figures so far (the batch it was in counted in the slowest). */
type PurgeOutcome = PurgeReport & { totalMs: number; finished: boolean; stepsMs: number[]; stepKeys: string[]; plans: OperationPlans };
/** `stepMs`: how long the batch under way has run. */
/** `stepKeys`: the column each step's SELECT selects by (the condition it deletes). */
type PurgeProgress = PurgeReport & { elapsedMs: number; stepMs: number; stepsMs: number[]; stepKeys: string[]; explained: ExplainedStatement[] };
const EMPTY_PROGRESS: PurgeProgress = {
  deleted: 0,
  batches: 0,
  slowestBatchMs: 0,
  slowestDeleteMs: 0,
  elapsedMs: 0,
  stepMs: 0,
  stepsMs: [],
  stepKeys: [],
  explained: [],
};

type Kind = 'checkCore' | 'checkFast' | 'login' | 'refresh' | 'devices' | 'activeUsers' | 'activeUsersFigure' | 'jwks' | 'jwksReload';
type ToChild =
  | { type: 'prepare' }
  | { type: 'time'; kind: Kind; iterations: number }
  | { type: 'purge'; job: PurgeJob }
  | { type: 'flood'; sizes: typeof FLOOD }
  | { type: 'exit' };
type Flood = Awaited<ReturnType<typeof import('@/lib/lab/throttle-flood').floodThrottle>>;
type Prepared = { plans: OperationPlans[]; heavyListed: number; statefulToken: string };
type FromChild =
  | { type: 'prepared'; prepared: Prepared }
  | { type: 'samples'; micros: number[] }
  | { type: 'purged'; outcome: PurgeOutcome }
  | { type: 'flooded'; flood: Flood }
  | { type: 'progress'; progress: PurgeProgress }
  | { type: 'error'; message: string };

// Every statement that reaches PostgreSQL passes through pg's Client#query (Prisma's adapter
// through its pool, the fast path's prepared read on its own connection): capturing there sees
// the SQL and the parameters exactly as sent.
const capture = { on: false, keep: true, statements: [] as Captured[], count: 0, onStatement: null as ((statement: Captured) => void) | null };

function captureStatements() {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    if (capture.on) {
      const [first, second] = args;
      const config = typeof first === 'string' ? { text: first, values: second } : (first as { text?: string; values?: unknown } | undefined);
      const values = config?.values ?? second;
      if (config?.text) {
        const statement = { sql: config.text, values: Array.isArray(values) ? [...values] : [], atMs: performance.now() };
        capture.count += 1;
        if (capture.keep) capture.statements.push(statement);
        capture.onStatement?.(statement);
      }
    }
    return query.apply(this, args);
  };
}

async function measureChild() {
  captureStatements();
  const { getDb } = await import('@/lib/db/client');
  const { switchFastPath } = await import('@/lib/fast-path/install');
  const sessions = await import('@/lib/session/10-sessions');
  const { refreshSession } = await import('@/lib/session/09-hybrid');
  const { getPublishedKeySet, listPublishedKeys } = await import('@/lib/session/08-hybrid-keys');
  const housekeeping = await import('@/lib/session/housekeeping');
  const throttle = await import('@/lib/session/hardening/throttle');
  const activeUsers = await import('@/lib/lab/active-users');
  const { getDevices } = await import('@/lib/view/devices');
  const db = getDb();
  const url = process.env.DATABASE_URL!;
  const explainer = new pg.Client({ connectionString: url });
  await explainer.connect();

  const { rows: indexRows } = await explainer.query(`SELECT c.relname AS index, i.indisunique AS unique, array_agg(a.attname::text ORDER BY k.n) AS columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    GROUP BY c.relname, i.indisunique`);
  const indexInfo = new Map<string, IndexInfo>(indexRows.map((row) => [row.index, { unique: row.unique, columns: row.columns }]));
  const { rows: sizeRows } = await explainer.query(`SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'`);
  const rowsOf = new Map<string, number>(sizeRows.map((row) => [row.relname, Number(row.reltuples)]));

  /** One statement explained with its own parameters on this database as it is now: as chosen, and with sequential scans disabled. */
  async function explainStatement(sql: string, values: unknown[]): Promise<ExplainedStatement> {
    const limited = /\bLIMIT\b/i.test(sql);
    const explain = async (settings = ''): Promise<Explained> => {
      await explainer.query(`RESET ALL; ${settings}`);
      const { rows } = await explainer.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
      const plan = (rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan;
      return { plan, verdict: judgePlan(plan, indexInfo, limited) };
    };
    const chosen = await explain();
    const withoutSeqScans = await explain('SET enable_seqscan = off');
    const withoutSorts = withoutSeqScans.verdict.bounded || !limited ? null : await explain('SET enable_seqscan = off; SET enable_sort = off');
    await explainer.query('RESET ALL');
    const indexOnly = withoutSorts?.verdict.bounded ? withoutSorts : withoutSeqScans;
    const bigSeqScans = chosen.verdict.seqScans.filter((table) => BIG_TABLES.includes(table) || (rowsOf.get(table) ?? 0) > SEQ_SCAN_ROWS);
    return { sql, values, chosen, indexOnly, bigSeqScans };
  }

  const explainable = (sql: string) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(sql);
  const firstWords = (sql: string) => sql.trim().split(/\s+/).slice(0, 3).join(' ');

  /** The statements `run` sends, each explained once (by its text) after it ran. */
  async function explainOperation(operation: string, run: () => Promise<unknown>): Promise<OperationPlans> {
    capture.statements = [];
    capture.on = true;
    try {
      await run();
    } finally {
      capture.on = false;
    }
    const explained: ExplainedStatement[] = [];
    const seen = new Set<string>();
    for (const { sql, values } of capture.statements) {
      if (!explainable(sql) || seen.has(sql)) continue;
      seen.add(sql);
      explained.push(await explainStatement(sql, values));
    }
    const skipped = capture.statements.filter(({ sql }) => !explainable(sql)).map(({ sql }) => firstWords(sql));
    return { operation, statements: capture.statements.length, explained, skipped };
  }

  const userSelect = { id: true, name: true, email: true, role: true } as const;
  const userOf = async (email: string): Promise<SessionUser> => db.user.findUniqueOrThrow({ where: { email }, select: userSelect });
  const accepted = async (token: string) => {
    const result = await sessions.checkSession(token);
    if (!result.ok) throw new Error(`the session was refused: ${result.reason}`);
    return result.session;
  };
  const userCount = await db.user.count();

  // The fixtures: a stateful session of an ordinary user, a session of the heavy user for its
  // devices page, a hybrid session whose refresh token each refresh replaces.
  const user = await userOf('user1@scale.test');
  const statefulToken = (await sessions.createSession(user, 'stateful', CLIENT)).token;
  const heavySession: Session = await accepted((await sessions.createSession(await userOf('heavy@scale.test'), 'stateful', CLIENT)).token);
  let refreshToken = (await sessions.createSession(await userOf('user2@scale.test'), 'hybrid', CLIENT)).cookies!.refresh;

  // A login as the app's action runs it, but for argon2: the throttle's points (a new address
  // each time, so none runs out), the user by email, a new session (modes in turn), the refund.
  let logins = 0;
  const LOGIN_MODES: SessionMode[] = ['stateful', 'hybrid', 'stateless'];
  async function login() {
    const n = logins++;
    const email = `user${1 + (n % (userCount - 1))}@scale.test`;
    const source = { ip: `192.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, trustedDeviceId: null };
    const blocked = await throttle.beforeLoginAttempt(email, source);
    if (blocked) throw new Error(`the benchmark's login was throttled: ${blocked.message}`);
    const found = await db.user.findUnique({ where: { email }, select: { ...userSelect, passwordHash: true, disabledAt: true } });
    if (!found) throw new Error(`no user ${email}`);
    await sessions.createSession({ id: found.id, name: found.name, email: found.email, role: found.role }, LOGIN_MODES[n % 3], CLIENT);
    await throttle.refundLoginFailure(email, source);
  }

  async function refresh() {
    const result = await refreshSession(refreshToken);
    if (!result.ok || !result.rotated) throw new Error(`the benchmark's refresh was refused: ${result.ok ? 'not rotated' : result.reason}`);
    refreshToken = result.issued.cookies!.refresh;
  }

  const operations: Record<Kind, () => Promise<unknown>> = {
    checkCore: () => accepted(statefulToken),
    checkFast: () => accepted(statefulToken),
    login,
    refresh,
    devices: () => getDevices(heavySession, 0),
    activeUsers: () => activeUsers.countActiveUsers('stateful'),
    activeUsersFigure: () => activeUsers.activeUsersFigure('stateful'),
    jwks: () => getPublishedKeySet(),
    jwksReload: () => listPublishedKeys(),
  };
  const onPath = (kind: Kind) => switchFastPath(kind === 'checkFast');

  async function prepare(): Promise<Prepared> {
    const plans: OperationPlans[] = [];
    switchFastPath(false);
    const checked = await accepted(statefulToken);
    plans.push(
      await explainOperation('stateful check, core path (and its "last active" write)', () =>
        accepted(statefulToken).then(() => sessions.recordActivity(checked)),
      ),
    );
    switchFastPath(true);
    plans.push(await explainOperation('stateful check, fast path', () => accepted(statefulToken)));
    switchFastPath(false);
    plans.push(await explainOperation('login (throttle, user by email, createSession, refund)', login));
    plans.push(await explainOperation('hybrid refresh', refresh));
    // The figure counted first, as a page view finds it nearly always: the devices page's own statements apart.
    await operations.activeUsersFigure();
    plans.push(await explainOperation('/devices, heavy user, first page', operations.devices));
    plans.push(await explainOperation(COUNT_OPERATION, operations.activeUsers));
    plans.push(await explainOperation('active stateful users, maintained figure', operations.activeUsersFigure));
    plans.push(await explainOperation('JWKS reload (listPublishedKeys)', operations.jwksReload));
    const { groups } = await getDevices(heavySession, 0);
    return { plans, heavyListed: groups.reduce((listed, group) => listed + 1 + group.earlier.length, 0), statefulToken };
  }

  async function time(kind: Kind, iterations: number) {
    const run = operations[kind];
    onPath(kind);
    const micros: number[] = [];
    try {
      for (let i = 0; i < iterations; i++) {
        const started = performance.now();
        await run();
        micros.push((performance.now() - started) * 1000);
      }
    } finally {
      switchFastPath(false);
    }
    return micros;
  }

  const PURGES: Record<PurgeJob, (now: Date) => Promise<PurgeReport>> = {
    purgeSessions: housekeeping.purgeSessions,
    purgeExpiredCounters: throttle.purgeExpiredCounters,
  };

  /**
   * One pass of a clean-up, with its batches followed as they go (from the statements: each batch
   * finds its keys with a SELECT, then DELETEs them) and reported every two seconds, so a pass the
   * parent stops for taking too long still says how far it got. Each new statement is explained as
   * it is sent, on the table as it is at that batch.
   */
  async function purge(job: PurgeJob): Promise<PurgeOutcome> {
    const started = performance.now();
    // Each step (a SELECT of keys, then their DELETE) timed from one SELECT to the next: the batches
    // as deleteInBatches times them, each one, where its report keeps only the slowest.
    const progress: PurgeProgress = { ...EMPTY_PROGRESS, stepsMs: [], stepKeys: [], explained: [] };
    let stepStartedMs: number | null = null;
    let deleteStartedMs: number | null = null;
    // A DELETE runs from its call to the next SELECT's (or the pass's end): a little over the statement itself.
    const deleteEnds = (atMs: number) => {
      if (deleteStartedMs !== null) progress.slowestDeleteMs = Math.max(progress.slowestDeleteMs, atMs - deleteStartedMs);
      deleteStartedMs = null;
    };
    const seen = new Set<string>();
    let explaining = Promise.resolve();
    // Thousands of batches at a million rows: counted and followed, not kept.
    capture.keep = false;
    capture.count = 0;
    capture.onStatement = ({ sql, values, atMs }) => {
      if (/^\s*SELECT/i.test(sql)) {
        deleteEnds(atMs);
        if (stepStartedMs !== null) progress.stepsMs.push(atMs - stepStartedMs);
        progress.slowestBatchMs = Math.max(progress.slowestBatchMs, ...progress.stepsMs.slice(-1));
        progress.stepKeys.push(/\bWHERE\s+\(?(?:"\w+"\.)*"(\w+)"/i.exec(sql)?.[1] ?? '?');
        stepStartedMs = atMs;
      } else if (/^\s*DELETE/i.test(sql)) {
        deleteStartedMs = atMs;
        progress.batches += 1;
        progress.deleted += values.length;
      }
      if (explainable(sql) && !seen.has(sql)) {
        seen.add(sql);
        explaining = explaining.then(async () => void progress.explained.push(await explainStatement(sql, values)));
      }
    };
    const report = () => {
      const now = performance.now();
      process.send!({ type: 'progress', progress: { ...progress, elapsedMs: now - started, stepMs: now - (stepStartedMs ?? now) } } satisfies FromChild);
    };
    const ticker = setInterval(report, 2000);
    capture.on = true;
    try {
      const result = await PURGES[job](new Date());
      const endedMs = performance.now();
      capture.on = false;
      if (stepStartedMs !== null) progress.stepsMs.push(endedMs - stepStartedMs);
      await explaining;
      const plans = { operation: job, statements: capture.count, explained: progress.explained, skipped: [] };
      const totalMs = endedMs - started;
      return { ...result, totalMs, finished: true, stepsMs: progress.stepsMs, stepKeys: progress.stepKeys, plans };
    } finally {
      capture.on = false;
      capture.keep = true;
      capture.onStatement = null;
      clearInterval(ticker);
    }
  }

  const reply = (message: FromChild) => process.send!(message);
  process.on('message', (message: ToChild) => {
    const handle = async (): Promise<FromChild | null> => {
      switch (message.type) {
        case 'prepare':
          return { type: 'prepared', prepared: await prepare() };
        case 'time':
          return { type: 'samples', micros: await time(message.kind, message.iterations) };
        case 'purge':
          return { type: 'purged', outcome: await purge(message.job) };
        case 'flood': {
          const { floodThrottle } = await import('@/lib/lab/throttle-flood');
          capture.on = false;
          // As many attempts in flight as the server checks passwords at once (PASSWORD_WORK_CONCURRENCY's
          // default): every attempt the throttle lets through costs an argon2 hash, and the rest wait or get 503.
          return { type: 'flooded', flood: await floodThrottle(message.sizes) };
        }
        case 'exit':
          await explainer.end();
          process.exit(0); // the pool would keep the process alive
      }
      return null;
    };
    handle().then(
      (answer) => answer && reply(answer),
      (error: Error) => reply({ type: 'error', message: error.stack ?? error.message }),
    );
  });
  process.send!({ type: 'ready' });
}

// ——— over HTTP: the app's production server on each database ———

/**
 * GET /api/session with a stateful session's cookie on each database, over real HTTP (autocannon,
 * 8 connections), in alternating rounds: latency p50 and p99 in ms, and requests a second.
 */
async function measureHttp(urls: Record<'small' | 'large', string>, tokens: Record<'small' | 'large', string>) {
  if (!existsSync('.next/BUILD_ID')) {
    log('building the production server (npm run build): none yet');
    if (spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('npm run build failed');
  }
  const { default: autocannon } = await import('autocannon');
  const [HTTP_ROUNDS, HTTP_ROUND_SECONDS] = [scaled(6, 1), scaled(2, 1)];
  const servers = { small: await startAppServer(urls.small, { fastPath: false }), large: await startAppServer(urls.large, { fastPath: false }) };
  const samples = { small: [] as autocannon.Result[], large: [] as autocannon.Result[] };
  try {
    log(`stateful check over HTTP: ${HTTP_ROUNDS} rounds of ${HTTP_ROUND_SECONDS} s per database, alternating, after a warm-up`);
    for (let round = -1; round < HTTP_ROUNDS; round++) {
      for (const which of round % 2 ? (['small', 'large'] as const) : (['large', 'small'] as const)) {
        // The app's production cookie name (COOKIE_SECURE is on in production).
        const result = await autocannon({
          url: `${servers[which].base}/api/session`,
          connections: 8,
          duration: HTTP_ROUND_SECONDS,
          headers: { cookie: `__Host-session=${tokens[which]}` },
        });
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${which}: ${result.non2xx} answers other than 200, ${result.errors} errors`);
        if (round >= 0) samples[which].push(result);
      }
    }
  } finally {
    await Promise.all([servers.small.stop(), servers.large.stop()]);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = (results: autocannon.Result[]) => ({
    p50: median(results.map((result) => result.latency.p50)),
    p99: median(results.map((result) => result.latency.p99)),
    perSecond: median(results.map((result) => result.requests.average)),
  });
  return { small: summary(samples.small), large: summary(samples.large) };
}

// ——— the parent ———

type Child = {
  label: string;
  process: ChildProcess;
  ask: (message: ToChild) => Promise<FromChild>;
  /** The last progress of a clean-up it reported. */
  progress: PurgeProgress | null;
};

function startChild(label: string, url: string): Promise<Child> {
  const worker = spawn(TSX, ['--conditions=react-server', 'scripts/bench-scale.ts', '--child', label], {
    // The core path (jose, Prisma's findUnique) unless a measurement switches to the fast path:
    // neither answers a stateful check from memory, the row is read every time.
    // --expose-gc: the attack's memory growth is read after a full collection.
    env: { ...process.env, DATABASE_URL: url, SESSION_FAST_PATH: '0', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim() },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: { resolve: (message: FromChild) => void; reject: (error: Error) => void } | null = null;
  const child: Child = {
    label,
    process: worker,
    progress: null,
    ask: (message) =>
      new Promise<FromChild>((resolve, reject) => {
        waiting = { resolve: (answer) => (answer.type === 'error' ? reject(new Error(`${label}: ${answer.message}`)) : resolve(answer)), reject };
        worker.send(message);
      }),
  };
  worker.on('exit', (code, signal) => {
    waiting?.reject(new Error(`the ${label} child exited (${signal ?? code})`));
    waiting = null;
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: FromChild | { type: 'ready' }) => {
      if (message.type === 'ready') return resolve(child);
      if (message.type === 'progress') return void (child.progress = message.progress);
      const current = waiting;
      waiting = null;
      current?.resolve(message);
    });
    worker.once('exit', (code, signal) => reject(new Error(`the ${label} child exited before it was ready (${signal ?? code})`)));
  });
}

const COUNT_OPERATION = 'active stateful users, counted (what the maintained figure runs when it is due)';

type Timing = { kind: Kind; label: string; unit: 'µs' | 'ms'; warmUp: number; rounds: number; perRound: number };

const scaled = (full: number, smoke: number) => (SMOKE ? smoke : full);
/** The attack over HTTP, sent at a steady rate whatever the answers (scripts/login-flood.ts). */
const HTTP_FLOOD = { attempts: scaled(50_000, 300), perSecond: 500 };
/** "48,000 × 503, 2,000 × 200" */
const describeStatuses = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(([status, count]) => `${thousands(count)} × ${status}`)
    .join(', ') || 'nothing';
/** The attack: each failed login from an address and for an email address of its own. */
const FLOOD = { attempts: scaled(50_000, 2_000), addresses: scaled(50_000, 2_000), emails: scaled(50_000, 2_000), perSecond: 2_000 };
const TIMINGS: Timing[] = [
  { kind: 'checkCore', label: 'stateful check, core path', unit: 'µs', warmUp: scaled(300, 30), rounds: scaled(10, 2), perRound: scaled(200, 25) },
  { kind: 'checkFast', label: 'stateful check, fast path', unit: 'µs', warmUp: scaled(300, 30), rounds: scaled(10, 2), perRound: scaled(200, 25) },
  { kind: 'login', label: 'login without argon2', unit: 'ms', warmUp: scaled(30, 3), rounds: scaled(10, 2), perRound: scaled(30, 5) },
  { kind: 'refresh', label: 'hybrid refresh', unit: 'ms', warmUp: scaled(30, 3), rounds: scaled(10, 2), perRound: scaled(30, 5) },
  { kind: 'devices', label: '/devices, heavy user, first page', unit: 'ms', warmUp: scaled(5, 1), rounds: scaled(10, 2), perRound: scaled(10, 3) },
  { kind: 'activeUsers', label: 'active stateful users, counted', unit: 'ms', warmUp: scaled(2, 1), rounds: scaled(5, 2), perRound: scaled(4, 2) },
  {
    kind: 'activeUsersFigure',
    label: 'active stateful users, maintained figure',
    unit: 'ms',
    warmUp: scaled(2, 1),
    rounds: scaled(5, 2),
    perRound: scaled(4, 2),
  },
  { kind: 'jwks', label: "JWKS (the process's copy)", unit: 'µs', warmUp: scaled(200, 20), rounds: scaled(4, 2), perRound: scaled(500, 20) },
  { kind: 'jwksReload', label: 'JWKS reload (listPublishedKeys)', unit: 'ms', warmUp: scaled(5, 1), rounds: scaled(5, 2), perRound: scaled(10, 3) },
];

type Stat = { p50: number; p95: number; p99: number; samples: number };

function stat(micros: number[]): Stat {
  const sorted = [...micros].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), samples: sorted.length };
}

/**
 * Rounds alternate between the databases (and which goes first), so both meet the same stretches
 * of a shared machine's drift: a ratio of two runs minutes apart would measure the drift.
 */
async function timeBoth(small: Child, large: Child, timing: Timing) {
  const samples = { small: [] as number[], large: [] as number[] };
  const ask = async (child: Child, iterations: number) => {
    const answer = await child.ask({ type: 'time', kind: timing.kind, iterations });
    return answer.type === 'samples' ? answer.micros : [];
  };
  await ask(small, timing.warmUp);
  await ask(large, timing.warmUp);
  for (let round = 0; round < timing.rounds; round++) {
    const order = round % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
    for (const which of order) samples[which].push(...(await ask(which === 'small' ? small : large, timing.perRound)));
  }
  return { small: stat(samples.small), large: stat(samples.large) };
}

/**
 * One clean-up pass, given PURGE_BUDGET_SECONDS: one that takes longer has missed its target many
 * times over, and the run must end. Its child is then stopped, and its last progress stands for it.
 */
async function purgeWithin(child: Child, job: PurgeJob): Promise<{ outcome: PurgeOutcome; stopped: boolean }> {
  child.progress = null;
  const asked = child.ask({ type: 'purge', job });
  asked.catch(() => {}); // once the child is stopped, its answer never comes
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), PURGE_BUDGET_SECONDS * 1000)));
  const logger = setInterval(() => {
    const progress = child.progress;
    if (progress) {
      log(
        `  ${child.label} ${job}: ${thousands(progress.batches)} batches, ${thousands(progress.deleted)} rows, slowest batch ${Math.round(Math.max(progress.slowestBatchMs, progress.stepMs))} ms, ${Math.round(progress.elapsedMs / 1000)} s`,
      );
    }
  }, 15_000);
  try {
    const answer = await Promise.race([asked, timeout]);
    if (answer !== 'timeout') {
      if (answer.type !== 'purged') throw new Error(`${child.label}: unexpected answer ${answer.type}`);
      return { outcome: answer.outcome, stopped: false };
    }
    const progress = child.progress ?? EMPTY_PROGRESS;
    log(`  ${child.label} ${job}: stopped after ${PURGE_BUDGET_SECONDS} s`);
    const exited = new Promise((resolve) => child.process.once('exit', resolve));
    child.process.kill('SIGTERM');
    await exited;
    return {
      outcome: {
        deleted: progress.deleted,
        batches: progress.batches,
        slowestBatchMs: Math.max(progress.slowestBatchMs, progress.stepMs),
        slowestDeleteMs: progress.slowestDeleteMs,
        stepsMs: progress.stepsMs,
        stepKeys: progress.stepKeys,
        totalMs: PURGE_BUDGET_SECONDS * 1000,
        finished: false,
        plans: { operation: job, statements: progress.batches, explained: progress.explained, skipped: [] },
      },
      stopped: true,
    };
  } finally {
    clearTimeout(timer);
    clearInterval(logger);
  }
}

function gitCommit() {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim();
  return `${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown CPU',
    cpus: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

// ——— the report ———

type Figure = {
  label: string;
  unit: 'µs' | 'ms';
  statistic: 'p50' | 'p95' | 'p99' | 'one pass';
  small: number | null;
  large: number | null;
  target: string;
  met: boolean | null;
};

const thousands = (value: number) => value.toLocaleString('en');
const formatMicros = (micros: number) => (micros < 10 ? micros.toFixed(1) : thousands(Math.round(micros)));
const formatValue = (value: number | null, unit: 'µs' | 'ms') =>
  value === null
    ? '–'
    : unit === 'µs' || value < 1
      ? `${formatMicros(unit === 'µs' ? value : value * 1000)} µs`
      : `${value < 10 ? value.toFixed(2) : thousands(Math.round(value))} ms`;
const formatBytes = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;

function table(rows: string[][], rightAligned: number[] = []) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (rightAligned.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A statement as one readable line: no schema or table prefixes, a long IN list shortened. */
const shortSql = (sql: string, length = 140) => {
  const text = sql
    .replace(/\s+/g, ' ')
    .replace(/"public"\./g, '')
    .replace(/"\w+"\.("\w+")/g, '$1')
    .replace(/\((\$\d+),(\$\d+,){2,}(\$\d+)\)/g, '($1,…,$3)');
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
};

function describeVerdict(verdict: PlanVerdict, estimates = true) {
  const indexes = verdict.indexes.length ? verdict.indexes.join(', ') : 'no index';
  const bound = verdict.bounded
    ? `bounded (${verdict.boundedBy.join(', ')})`
    : [
        verdict.perKey.length && `NO LIMIT, reads every row of one key: ${verdict.perKey.join('; ')}`,
        verdict.unbounded.length && `UNBOUNDED: ${verdict.unbounded.join('; ')}`,
      ]
        .filter(Boolean)
        .join('; ');
  return estimates
    ? `${indexes}; ${bound}; est. ${thousands(verdict.estimatedRows)} rows, cost ${thousands(Math.round(verdict.totalCost))}`
    : `${indexes}; ${bound}`;
}

/** What an operation's statements can do at any size: their index-only plans, estimates apart. */
const planShapes = (plans: OperationPlans | undefined) =>
  [...new Set(plans?.explained.map(({ indexOnly }) => describeVerdict(indexOnly.verdict, false).replace(/'[^']*'/g, '?')))].sort().join('\n');

function describeStatements(plans: OperationPlans | undefined) {
  if (!plans) return ['    (not measured)'];
  if (plans.explained.length === 0) return ['    no statement'];
  return plans.explained.map(({ sql, chosen, indexOnly, bigSeqScans }) => {
    const seq = bigSeqScans.length ? `; SEQ SCAN of ${bigSeqScans.join(', ')}` : '';
    const forced = describeVerdict(indexOnly.verdict);
    const differs = forced !== describeVerdict(chosen.verdict) ? `\n      with sequential scans disabled: ${forced}` : '';
    return `    ${shortSql(sql)}\n      ${describeVerdict(chosen.verdict)}${seq}${differs}`;
  });
}

async function main() {
  if (flags.child) {
    await import('./load-env');
    return measureChild();
  }
  const started = Date.now();
  await import('./load-env');
  const small = shapeOf(SMALL_SESSIONS);
  const large = shapeOf(LARGE_SESSIONS);
  const { migrate } = await import('@/lib/db/migrate');
  const { freePort, startEmbeddedPostgres } = await import('./embedded-postgres');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'jwt-sessions-scale-'));
  chmodSync(scratch, 0o755); // as root, PostgreSQL runs as its own user and must reach its data directory
  log('starting a throwaway PostgreSQL from node_modules');
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), port: await freePort(), temporary: true });
  const children: Child[] = [];
  try {
    const databases = { small: 'scale_small', large: 'scale_large' } as const;
    // The large one first: the small one takes a second, so both start the measuring equally fresh
    // (a stateless row lives 15 minutes, an active one is idle after 30).
    for (const which of ['large', 'small'] as const) {
      const name = databases[which];
      await postgres.createDatabase(name);
      await migrate(postgres.url(name));
      await fill(postgres.url(name), name, which === 'small' ? small : large);
    }
    const described = { small: await describeTables(postgres.url(databases.small)), large: await describeTables(postgres.url(databases.large)) };
    const sizes = { small: described.small.tables, large: described.large.tables };
    log('starting one measuring process per database');
    const [smallChild, largeChild] = await Promise.all([
      startChild('small', postgres.url(databases.small)),
      startChild('large', postgres.url(databases.large)),
    ]);
    children.push(smallChild, largeChild);
    log('capturing and explaining every statement of each operation');
    const prepared = {} as Record<'small' | 'large', Prepared>;
    for (const [which, child] of [
      ['small', smallChild],
      ['large', largeChild],
    ] as const) {
      const answer = await child.ask({ type: 'prepare' });
      if (answer.type !== 'prepared') throw new Error(`${which}: unexpected answer ${answer.type}`);
      prepared[which] = answer.prepared;
    }
    const timings: Record<string, { small: Stat; large: Stat }> = {};
    for (const timing of TIMINGS) {
      log(`${timing.label}: ${timing.rounds} rounds of ${timing.perRound} per database, alternating, after ${timing.warmUp} to warm up`);
      timings[timing.kind] = await timeBoth(smallChild, largeChild, timing);
    }
    const http = await measureHttp(
      { small: postgres.url(databases.small), large: postgres.url(databases.large) },
      {
        small: prepared.small.statefulToken,
        large: prepared.large.statefulToken,
      },
    );
    log(`one pass of each clean-up per database (small, then large), each stopped after ${PURGE_BUDGET_SECONDS} s`);
    const live = { small: smallChild as Child | null, large: largeChild as Child | null };
    const purged = { small: {}, large: {} } as Record<'small' | 'large', Record<PurgeJob, PurgeOutcome>>;
    for (const which of ['small', 'large'] as const) {
      for (const job of PURGE_JOBS) {
        if (!live[which]) children.push((live[which] = await startChild(which, postgres.url(databases[which]))));
        const { outcome, stopped } = await purgeWithin(live[which]!, job);
        purged[which][job] = outcome;
        if (stopped) live[which] = null;
      }
    }

    // The attack at scale, on the large database once its clean-ups are done (lib/lab/throttle-flood.ts).
    if (!live.large) children.push((live.large = await startChild('large', postgres.url(databases.large))));
    log(
      `the attack: ${thousands(FLOOD.attempts)} failed logins from ${thousands(FLOOD.addresses)} addresses for ${thousands(FLOOD.emails)} email addresses, while the owner signs in from a trusted browser`,
    );
    const floodAnswer = await live.large.ask({ type: 'flood', sizes: FLOOD });
    if (floodAnswer.type !== 'flooded') throw new Error(`large: unexpected answer ${floodAnswer.type}`);
    const flood = floodAnswer.flood;
    // The same attack over HTTP: the production server, behind one trusted proxy, its limits and its cap on password work as shipped.
    log(
      `the attack over HTTP: ${thousands(HTTP_FLOOD.attempts)} failed logins through the login form, ${HTTP_FLOOD.perSecond} a second, while the owner logs in`,
    );
    const httpFloodServer = await startAppServer(postgres.url(databases.large), { fastPath: true, env: { TRUST_PROXY: '1' } });
    const httpFlood = await floodLoginsOverHttp(httpFloodServer.base, HTTP_FLOOD).finally(() => httpFloodServer.stop());

    // ——— figures and targets ———
    const figures: Figure[] = [];
    const add = (kind: Kind, statistic: 'p50' | 'p95' | 'p99', target = '', judge?: (small: number, large: number) => boolean) => {
      const timing = TIMINGS.find((t) => t.kind === kind)!;
      const measured = timings[kind];
      const value = (which: 'small' | 'large') => (measured ? measured[which][statistic] / (timing.unit === 'ms' ? 1000 : 1) : null);
      const [s, l] = [value('small'), value('large')];
      figures.push({
        label: `${timing.label}, ${statistic}`,
        unit: timing.unit,
        statistic,
        small: s,
        large: l,
        target,
        met: judge && s !== null && l !== null ? judge(s, l) : null,
      });
    };
    const atMostTimesSmall = (factor: number) => (s: number, l: number) => l <= factor * s;
    const atMost = (limit: number) => (_: number, l: number) => l <= limit;
    add('checkCore', 'p50', '≤ 1.2× small', atMostTimesSmall(1.2));
    add('checkCore', 'p99');
    add('checkFast', 'p50', '≤ 1.2× small', atMostTimesSmall(1.2));
    add('checkFast', 'p99');
    for (const statistic of ['p50', 'p99'] as const) {
      const [hs, hl] = [http.small[statistic], http.large[statistic]];
      figures.push({
        label: `stateful check over HTTP (GET /api/session), ${statistic}`,
        unit: 'ms',
        statistic,
        small: hs,
        large: hl,
        target: statistic === 'p50' ? '≤ 1.2× small' : '',
        met: statistic === 'p50' ? hl <= 1.2 * hs : null,
      });
    }
    add('login', 'p50', '≤ 1.2× small', atMostTimesSmall(1.2));
    add('login', 'p99');
    add('devices', 'p50');
    add('devices', 'p95', '≤ 100 ms', atMost(100));
    add('activeUsers', 'p50', 'served as a maintained figure');
    add('activeUsersFigure', 'p50', '≤ 20 ms', atMost(20));
    add('refresh', 'p50');
    add('refresh', 'p99');
    add('jwks', 'p50');
    add('jwksReload', 'p50');
    for (const job of PURGE_JOBS) {
      const [s, l] = [purged.small[job], purged.large[job]];
      const soFar = l.finished ? '' : ' (so far)';
      // The DELETE is the statement that holds row locks (a login or a check of those rows would
      // wait on it); the SELECT that finds a batch's keys locks nothing.
      figures.push({
        label: `${job}, slowest DELETE${soFar}`,
        unit: 'ms',
        statistic: 'one pass',
        small: s.slowestDeleteMs,
        large: l.slowestDeleteMs,
        target: '≤ 50 ms holding locks',
        // A pass stopped early has missed only once a batch has: the rest is unknown.
        met: l.slowestDeleteMs > 50 ? false : l.finished ? true : null,
      });
      figures.push({
        label: `${job}, slowest batch (find + delete)${soFar}`,
        unit: 'ms',
        statistic: 'one pass',
        small: s.slowestBatchMs,
        large: l.slowestBatchMs,
        target: '',
        met: null,
      });
    }

    figures.push({
      label: "owner's login throttle check during the attack, p95",
      unit: 'ms',
      statistic: 'p95',
      small: flood.owner.quietMicros.p95 / 1000,
      large: flood.owner.duringMicros.p95 / 1000,
      target: '≤ 2× quiet (the small column)',
      met: flood.owner.refused === 0 && flood.owner.duringMicros.p95 <= 2 * flood.owner.quietMicros.p95,
    });

    figures.push({
      label: "owner's whole login over HTTP during the attack, p95",
      unit: 'ms',
      statistic: 'p95',
      small: httpFlood.owner.quiet.p95Ms,
      large: httpFlood.owner.during.p95Ms,
      target: '≤ 2× quiet, every one signed in',
      met: httpFlood.owner.during.signedIn === httpFlood.owner.during.logins && httpFlood.owner.during.p95Ms <= 2 * httpFlood.owner.quiet.p95Ms,
    });

    // ——— the assertions of any machine: every statement on an index, every statement bounded ———
    const problems: string[] = [];
    const allPlans = (which: 'small' | 'large') => [...prepared[which].plans, ...PURGE_JOBS.map((job) => purged[which][job].plans)];
    const notes: string[] = [];
    for (const operation of allPlans('large')) {
      for (const { sql, chosen, indexOnly } of operation.explained) {
        const where = `${operation.operation}: ${shortSql(sql)}`;
        const forcedSeq = indexOnly.verdict.seqScans.filter((table) => BIG_TABLES.includes(table));
        if (forcedSeq.length)
          problems.push(`${where}\n      no index serves it: a sequential scan of ${forcedSeq.join(', ')} even with sequential scans disabled`);
        const chosenSeq = chosen.verdict.seqScans.filter((table) => BIG_TABLES.includes(table) && !forcedSeq.includes(table));
        if (chosenSeq.length)
          notes.push(
            `${where}\n      at ${thousands(large.sessions)} sessions PostgreSQL chooses a sequential scan of ${chosenSeq.join(', ')} (an index could serve it)`,
          );
        if (!chosen.verdict.bounded && indexOnly.verdict.bounded)
          notes.push(
            `${where}\n      at ${thousands(large.sessions)} sessions PostgreSQL chooses a plan that reads more than its LIMIT needs: ${describeVerdict(chosen.verdict, false)}`,
          );
        // A count reads every row it counts, whatever the index: the app serves it as a figure recounted at most once a minute.
        if (operation.operation === COUNT_OPERATION) continue;
        if (indexOnly.verdict.perKey.length) problems.push(`${where}\n      no LIMIT, reads every row of one key: ${indexOnly.verdict.perKey.join('; ')}`);
        if (indexOnly.verdict.unbounded.length) problems.push(`${where}\n      nothing bounds ${indexOnly.verdict.unbounded.join('; ')}`);
      }
    }

    // ——— output ———
    const machine = describeMachine();
    const commit = gitCommit();
    const figureRows = [
      ['measure', `${thousands(small.sessions)} sessions`, `${thousands(large.sessions)} sessions`, 'ratio', 'target', 'verdict'],
      ...figures.map((figure) => [
        figure.statistic === 'one pass' ? figure.label : figure.label,
        formatValue(figure.small, figure.unit),
        formatValue(figure.large, figure.unit),
        figure.small && figure.large !== null ? `${(figure.large / figure.small).toFixed(2)}×` : '–',
        figure.target,
        figure.met === null ? '' : figure.met ? 'met' : 'MISSED',
      ]),
    ];
    const purgeRows = [
      ['clean-up pass', 'deleted', 'batches', 'step p50', 'step p95', 'slowest batch', 'slowest DELETE', 'whole pass'],
      ...(['small', 'large'] as const).flatMap((which) =>
        PURGE_JOBS.map((job) => {
          const outcome = purged[which][job];
          return [
            `${job} (${which === 'small' ? thousands(small.sessions) : thousands(large.sessions)} sessions)`,
            thousands(outcome.deleted),
            thousands(outcome.batches),
            formatValue(outcome.stepsMs.length ? stat(outcome.stepsMs).p50 : null, 'ms'),
            formatValue(outcome.stepsMs.length ? stat(outcome.stepsMs).p95 : null, 'ms'),
            formatValue(outcome.slowestBatchMs, 'ms'),
            formatValue(outcome.slowestDeleteMs, 'ms'),
            outcome.finished ? formatValue(outcome.totalMs, 'ms') : `stopped after ${PURGE_BUDGET_SECONDS} s, unfinished`,
          ];
        }),
      ),
    ];
    // Where in a pass its slow steps fall: the first step of a condition may walk past the index
    // entries of rows an earlier condition just deleted (dead until vacuumed).
    const stepLines = PURGE_JOBS.map((job) => {
      const { stepsMs, stepKeys } = purged.large[job];
      const keys = [...new Set(stepKeys)];
      const parts = keys.map((key) => {
        const steps = stepsMs.filter((_, i) => stepKeys[i] === key);
        const first = stepsMs[stepKeys.indexOf(key)];
        return `${key}: ${thousands(steps.length)} ${steps.length === 1 ? 'step' : 'steps'}, p50 ${formatValue(stat(steps).p50, 'ms')}, the first ${formatValue(first, 'ms')}, the slowest ${formatValue(Math.max(...steps), 'ms')}`;
      });
      return `  ${job} at ${thousands(large.sessions)} sessions, per condition (a step: one SELECT of keys and their DELETE): ${parts.join('; ') || 'none'}`;
    });
    const sizeRows = [
      ['table', 'rows (small)', 'size (small)', 'rows (large)', 'size (large)', 'of which indexes'],
      ...sizes.large.map((largeTable) => {
        const smallTable = sizes.small.find((entry) => entry.table === largeTable.table);
        return [
          largeTable.table,
          smallTable ? thousands(smallTable.rows) : '–',
          smallTable ? formatBytes(smallTable.totalBytes) : '–',
          thousands(largeTable.rows),
          formatBytes(largeTable.totalBytes),
          formatBytes(largeTable.indexBytes),
        ];
      }),
    ];
    const planLines: string[] = [];
    for (const operation of allPlans('large')) {
      const smallOperation = allPlans('small').find((entry) => entry.operation === operation.operation);
      planLines.push(
        `  ${operation.operation}: ${operation.statements} statement(s) sent${operation.skipped.length ? ` (not explained: ${[...new Set(operation.skipped)].join(', ')})` : ''}`,
      );
      planLines.push(...describeStatements(operation));
      // On tables this small a sequential scan is often the cheaper plan: the small database is shown only where its index-only plans differ.
      if (planShapes(smallOperation) !== planShapes(operation))
        planLines.push(`   at ${thousands(small.sessions)} sessions:`, ...describeStatements(smallOperation));
    }
    const statesLine = (which: 'small' | 'large') => {
      const states = described[which].sessions;
      const total = states.live + states.idle + states.revoked + states.expired;
      const share = (n: number) => `${thousands(n)} (${Math.round((n / total) * 100)} %)`;
      return `  ${thousands(total)} rows: ${share(states.live)} live, ${share(states.idle)} idle, ${share(states.revoked)} revoked, ${share(states.expired)} expired`;
    };
    console.log(
      [
        `Cost at scale: ${thousands(small.sessions)} sessions beside ${thousands(large.sessions)}${SMOKE ? ' (smoke: few samples, the plans are what counts)' : ''}`,
        `The heavy user has ${thousands(HEAVY_SESSIONS)} live sessions at both sizes (the first page of its /devices lists ${prepared.small.heavyListed} and ${prepared.large.heavyListed} of them); the rest of the table grows around it.`,
        `PostgreSQL 18 (embedded-postgres, default settings), ${machine.cpuModel} × ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, commit ${commit}`,
        '',
        table(figureRows, [1, 2, 3]),
        '',
        table(purgeRows, [1, 2, 3, 4, 5, 6, 7]),
        ...stepLines,
        '',
        `Over HTTP (GET /api/session, the production server on the core path, 8 connections): a stateful session served ${thousands(Math.round(http.small.perSecond))} requests a second at ${thousands(small.sessions)} sessions, ${thousands(Math.round(http.large.perSecond))} at ${thousands(large.sessions)}.`,
        '',
        `The attack (${thousands(large.sessions)}-session database): ${thousands(flood.attempts)} failed logins from ${thousands(flood.addresses)} addresses (read behind one trusted proxy) for ${thousands(flood.emails)} email addresses, sent at ${thousands(flood.perSecond)} a second whatever the answers (${Math.round(flood.attemptsPerSecond).toLocaleString('en')} reached), ${thousands(flood.attackerRefused)} of them refused.`,
        `  The owner, signing in from a trusted browser meanwhile: ${thousands(flood.owner.duringMicros.samples)} logins, ${flood.owner.refused} refused; its throttle check p50 ${formatValue(flood.owner.duringMicros.median / 1000, 'ms')}, p95 ${formatValue(flood.owner.duringMicros.p95 / 1000, 'ms')} (quiet: p50 ${formatValue(flood.owner.quietMicros.median / 1000, 'ms')}, p95 ${formatValue(flood.owner.quietMicros.p95 / 1000, 'ms')}).`,
        `Over HTTP (the production server, TRUST_PROXY=1, its limits as shipped): ${thousands(httpFlood.attempts)} failed logins posted to the login form, sent at ${httpFlood.perSecond} a second whatever the answers (${Math.round(httpFlood.attemptsPerSecond).toLocaleString('en')} reached), answered ${describeStatuses(httpFlood.attackers)}.`,
        `  The owner's whole login (argon2 included) from its trusted browser: quiet, ${httpFlood.owner.quiet.signedIn} of ${httpFlood.owner.quiet.logins} signed in, p50 ${formatValue(httpFlood.owner.quiet.p50Ms, 'ms')}, p95 ${formatValue(httpFlood.owner.quiet.p95Ms, 'ms')}; during the attack, ${httpFlood.owner.during.signedIn} of ${httpFlood.owner.during.logins} signed in (${describeStatuses(httpFlood.owner.during.statuses)}), p50 ${formatValue(httpFlood.owner.during.p50Ms, 'ms')}, p95 ${formatValue(httpFlood.owner.during.p95Ms, 'ms')}.`,
        `  The throttle's table: ${thousands(flood.table.rowsBefore)} counters before, ${thousands(flood.table.rowsAfter)} after; its clean-up, once their windows had ended, deleted ${thousands(flood.purge.deleted)} in ${thousands(flood.purge.batches)} batches (slowest DELETE ${formatValue(flood.purge.slowestDeleteMs, 'ms')}), leaving ${thousands(flood.table.rowsAfterPurge)}. The process's heap grew by ${formatBytes(Math.max(0, flood.memory.heapGrowthBytes))}${flood.memory.collected ? ' (after a full collection)' : ' (no forced collection)'}: the counters live in the database, not in memory.`,
        '',
        table(sizeRows, [1, 2, 3, 4, 5]),
        '',
        'Sessions as the app judged them when the measuring began (idle: stateful or hybrid, not used for 30 minutes; the heavy user included):',
        statesLine('small'),
        statesLine('large'),
        '',
        `Statements and their plans at ${thousands(large.sessions)} sessions (EXPLAIN with the parameters Prisma sent; a clean-up's statements as it sends them):`,
        ...planLines,
        ...(notes.length
          ? [
              '',
              `Where PostgreSQL, at ${thousands(large.sessions)} sessions, chooses a plan that reads more than an index plan would (not counted as failures):`,
              ...notes.map((note) => `  - ${note}`),
            ]
          : []),
      ].join('\n'),
    );

    const report = {
      createdAt: new Date().toISOString(),
      smoke: SMOKE,
      machine,
      commit,
      sizes: { small, large },
      settings: { timings: TIMINGS, chunkRows: CHUNK_ROWS, bigTables: BIG_TABLES, purgeBudgetSeconds: PURGE_BUDGET_SECONDS },
      tables: sizes,
      sessionStates: { small: described.small.sessions, large: described.large.sessions },
      figures,
      timings,
      purge: Object.fromEntries(
        (['small', 'large'] as const).map((which) => [which, Object.fromEntries(PURGE_JOBS.map((job) => [job, { ...purged[which][job], plans: undefined }]))]),
      ),
      plans: { small: allPlans('small'), large: allPlans('large') },
      flood,
      httpFlood,
      http,
      problems,
      notes,
    };
    mkdirSync('data/bench', { recursive: true });
    const file = `data/bench/scale-${report.createdAt.replace(/[:.]/g, '-')}${SMOKE ? '-smoke' : ''}.json`;
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    // A smoke run proves the plans, not the speeds: it leaves the latest full run in place.
    if (!SMOKE) writeFileSync('data/bench/scale-latest.json', `${JSON.stringify(report, null, 2)}\n`);
    // A full run is stored in the app's database too, so /compare shows it beside the live figures.
    let stored = '';
    if (!SMOKE) {
      const { saveRun } = await import('@/lib/lab/runs');
      const summary: ScaleSummary = { commit, sessions: { small: small.sessions, large: large.sessions }, figures };
      stored = `; stored as run ${(await saveRun('cli-scale', summary)).id} for /compare`;
    }
    console.log(`\nwrote ${file}${SMOKE ? '' : ' (and data/bench/scale-latest.json)'}${stored}; ${Math.round((Date.now() - started) / 1000)} s in all`);
    if (problems.length) {
      console.error(
        `\nbench:scale: ${problems.length} statement(s) would not stay cheap as the tables grow:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    for (const child of children) if (child.process.connected) child.process.send({ type: 'exit' } satisfies ToChild);
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) =>
            child.process.exitCode !== null || child.process.signalCode !== null ? resolve(null) : child.process.once('exit', resolve),
          ),
      ),
    );
    await postgres.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
