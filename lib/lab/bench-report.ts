// The shape of an `npm run bench` run (scripts/bench.ts), its targets, and the table the command
// prints. /compare renders the same run and the same verdicts from the stored JSON. Runs stored
// before hybrid mode have no hybrid numbers: they read as '–', and its targets are judged only on
// runs that measured it.
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import type { BenchmarkResult, DatabaseWork, Stat } from './benchmark';
import type { StoredByMode } from './runs';

/**
 * `control` is anonymous again, measured in its own slot of every round: its ratio to anonymous
 * should be 1, and how far it strays is the noise of the measurement on this machine. `cookie` is
 * anonymous with a cookie the app never reads, as long as a stateless session's: what carrying a
 * cookie costs before any token is verified (mostly the framework parsing it), so the part of a
 * signed-in request's cost that is the session's own can be told apart.
 */
export type HttpKind = 'anonymous' | 'control' | 'cookie' | SessionMode;

export const HTTP_KINDS: readonly HttpKind[] = ['anonymous', 'control', 'cookie', 'stateless', 'stateful', 'hybrid'];

export const HTTP_KIND_LABELS: Record<HttpKind, string> = {
  anonymous: 'anonymous (401)',
  control: 'anonymous again (noise control)',
  cookie: 'anonymous with a cookie the app ignores',
  stateless: 'signed in, stateless',
  stateful: 'signed in, stateful',
  hybrid: 'signed in, hybrid',
};

/** Median and quartiles over the rounds, with every round's value kept. */
export type Spread = { median: number; p25: number; p75: number; samples: number[] };

/**
 * `ratioToCookie`: against the slices of anonymous requests with an ignored cookie; `ratioToBare`:
 * against the bare Next.js route measured after each round (runs stored before either lack it).
 */
export type HttpSummary = { perSecond: Spread; ratioToAnonymous: Spread; ratioToCookie?: Spread; ratioToBare?: Spread };

export type InProcessRun = {
  database: 'sqlite' | 'postgresql';
  checks: BenchmarkResult;
  work: StoredByMode<DatabaseWork>;
  /** Older stored runs may lack `hybrid` (from before that mode) and `cookie` (from before that kind). */
  http: HttpRun;
  /** The same on the core's own path (SESSION_FAST_PATH=0): jose's jwtVerify and Prisma's findUnique. Runs stored before it lack it. */
  httpCore?: HttpRun;
  /** Statements per 1,000 signed-in requests as the server's own Server-Timing reported them. */
  serverQueriesPer1000: StoredByMode<number>;
};

/** Per kind of request, over HTTP. Older stored runs may lack `hybrid` (from before that mode) and `cookie` (from before that kind). */
type HttpRun = Record<Exclude<HttpKind, 'hybrid' | 'cookie'>, HttpSummary> & { hybrid?: HttpSummary; cookie?: HttpSummary; bare?: Spread };

export type BenchRun = {
  createdAt: string;
  machine: string;
  commit: string;
  /** A `--smoke` run: proves the command works; its numbers mean little. */
  smoke: boolean;
  /**
   * HTTP: `rounds` rounds of `roundSeconds`, the kind of request changing every `sliceMs` within
   * each; `sliceOrder` 'changing' (lib/lab/slice-schedule.ts) where runs stored before it said nothing: a fixed order.
   */
  settings: {
    iterations: number;
    rounds: number;
    roundSeconds: number;
    sliceMs: number;
    sliceOrder?: 'changing';
    connections: number;
    workRequests: number;
  };
  databases: InProcessRun[];
};

export type Target = { database: string; name: string; measured: string; target: string; met: boolean };

/** A whole request against a bare Next.js route's (bench/baseline), on the fast path; stateful only on SQLite. */
const BARE_TARGETS: Partial<Record<HttpKind, Partial<Record<'sqlite' | 'postgresql', number>>>> = {
  anonymous: { sqlite: 0.85, postgresql: 0.85 },
  stateless: { sqlite: 0.8, postgresql: 0.8 },
  hybrid: { sqlite: 0.8, postgresql: 0.8 },
  stateful: { sqlite: 0.75 },
};

// Hybrid's check is stateless's (no query, the verified token cached): the same targets.
const HTTP_TARGETS: Record<SessionMode, Record<'sqlite' | 'postgresql', number>> = {
  stateless: { sqlite: 0.95, postgresql: 0.95 },
  stateful: { sqlite: 0.9, postgresql: 0.85 },
  hybrid: { sqlite: 0.95, postgresql: 0.95 },
};

/**
 * A ratio with three decimals. A stored run is JSON, where a round that served nothing of a kind
 * left null (NaN does not survive JSON): that reads as "–", never as a crash of the page.
 */
export function formatRatio(value: number | null) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(3) : '–';
}

/** Microseconds for people: "8.3 µs", "142 µs", "1.21 ms". */
export function formatMicros(value: number) {
  if (!Number.isFinite(value)) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value < 10 ? value.toFixed(1) : Math.round(value)} µs`;
}

/** How the HTTP rounds interleave their kinds of request, for the printed table and /compare. */
export function describeSlices({ sliceMs, sliceOrder }: BenchRun['settings']) {
  const every = `the kind of request changing every ${Math.round(sliceMs)} ms`;
  return sliceOrder === 'changing' ? `${every}, in an order that changes every second` : `${every}, always in the same order`;
}

/** The targets, each judged on this run's own numbers (medians and p50s). */
export function judgeTargets(run: BenchRun): Target[] {
  const targets: Target[] = [];
  for (const { database, checks, work, http } of run.databases) {
    const { stateless, stateful, hybrid } = checks.modes;
    const { hmac, lookup } = checks.floors;
    for (const [mode, stat] of [
      ['stateless', stateless],
      ['hybrid', hybrid],
    ] as const) {
      if (!stat) continue;
      targets.push({
        database,
        name: `In-process ${mode} check ≤ 3 × the HMAC floor`,
        measured: `${formatMicros(stat.p50)} = ${(stat.p50 / hmac.p50).toFixed(2)} × ${formatMicros(hmac.p50)}`,
        target: `≤ ${formatMicros(3 * hmac.p50)}`,
        met: stat.p50 <= 3 * hmac.p50,
      });
    }
    targets.push({
      database,
      name: 'In-process stateful check ≤ stateless + 3 × the raw-lookup floor',
      measured: `${formatMicros(stateful.p50)} (stateless + ${formatMicros(stateful.p50 - stateless.p50)})`,
      target: `≤ ${formatMicros(stateless.p50 + 3 * lookup.p50)}`,
      met: stateful.p50 <= stateless.p50 + 3 * lookup.p50,
    });
    for (const mode of SESSION_MODES) {
      const summary = http[mode];
      if (!summary) continue;
      const ratio = summary.ratioToAnonymous;
      targets.push({
        database,
        name: `HTTP ${mode} ÷ anonymous`,
        measured:
          `${formatRatio(ratio.median)} (${formatRatio(ratio.p25)}–${formatRatio(ratio.p75)}); noise control ${formatRatio(http.control.ratioToAnonymous.median)}` +
          (http.cookie ? `; an ignored cookie ${formatRatio(http.cookie.ratioToAnonymous.median)}` : ''),
        target: `≥ ${HTTP_TARGETS[mode][database].toFixed(2)}`,
        met: ratio.median >= HTTP_TARGETS[mode][database],
      });
    }
    for (const [kind, byDatabase] of Object.entries(BARE_TARGETS) as [HttpKind, Partial<Record<'sqlite' | 'postgresql', number>>][]) {
      const ratio = http[kind]?.ratioToBare;
      const target = byDatabase[database];
      if (!ratio || target === undefined || !http.bare) continue;
      targets.push({
        database,
        name: `HTTP ${kind} ÷ a bare Next.js route`,
        measured: `${formatRatio(ratio.median)} (${formatRatio(ratio.p25)}–${formatRatio(ratio.p75)}); ${Math.round(http[kind]!.perSecond.median).toLocaleString('en')} against ${Math.round(http.bare.median).toLocaleString('en')} req/s`,
        target: `≥ ${target.toFixed(2)}`,
        met: ratio.median >= target,
      });
    }
    targets.push({
      database,
      name: 'Reads per request: 0 stateless, 1 stateful',
      measured: `${work.stateless.reads / work.stateless.requests}, ${work.stateful.reads / work.stateful.requests}`,
      target: '0, 1',
      met: work.stateless.reads === 0 && work.stateful.reads === work.stateful.requests,
    });
    if (work.hybrid) {
      targets.push({
        database,
        name: 'Reads per request: 0 hybrid (its refreshes apart)',
        measured: `${work.hybrid.reads / work.hybrid.requests}, ${work.hybrid.writes / work.hybrid.requests} writes`,
        target: '0, 0 writes',
        met: work.hybrid.reads === 0 && work.hybrid.writes === 0,
      });
    }
    targets.push({
      database,
      name: '"Last active" writes ≤ 1 per session per minute',
      measured: `${work.stateful.writes} writes for ${work.stateful.devices} sessions (stateless ${work.stateless.writes})`,
      target: `≤ ${work.stateful.devices}, stateless 0`,
      met: work.stateful.writes <= work.stateful.devices && work.stateless.writes === 0,
    });
  }
  return targets;
}

function pad(text: string, width: number) {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(rows: string[][]) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => pad(cell, widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function stat(value: Stat) {
  return `${formatMicros(value.p50)} (${formatMicros(value.p25 ?? value.p50)}–${formatMicros(value.p75 ?? value.p50)}), p95 ${formatMicros(value.p95)}`;
}

const DATABASE_NAMES = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

/** Hybrid's statements: none per check, and a few per refresh, which comes once per access token. */
function describeHybridWork({ work, checks, serverQueriesPer1000 }: InProcessRun) {
  if (!work.hybrid) return '';
  const { refresh } = checks;
  const perRefresh = refresh
    ? `, plus ${refresh.reads / refresh.refreshes} reads and ${refresh.writes / refresh.refreshes} writes per refresh (${refresh.refreshes} refreshes), one refresh per access token`
    : '';
  const server = serverQueriesPer1000.hybrid === undefined ? '' : ` Counted by the server over HTTP: hybrid ${Math.round(serverQueriesPer1000.hybrid)}.`;
  return ` Hybrid: ${(work.hybrid.reads / work.hybrid.requests) * 1000} reads, ${(work.hybrid.writes / work.hybrid.requests) * 1000} writes${perRefresh}.${server}`;
}

const micros = (value: number) => formatMicros(Math.max(0, value));

/** What each speed-up of lib/fast-path buys, from the medians of one run. */
export function describePlugIns({ database, checks, http, httpCore }: InProcessRun) {
  const { stateless, stateful } = checks.modes;
  // Runs stored before the core path was measured apart have nothing to compare.
  if (!stateless?.core || !stateless.cold || !stateful?.core) return '';
  const perCheck =
    `the lean verifier ${micros(stateless.core.p50 - stateless.cold.p50)} on a token's first sight, the cache of verified tokens a further ${micros(stateless.cold.p50 - stateless.p50)}, ` +
    `the prepared read ${micros(stateful.core.p50 - stateless.core.p50 - (stateful.p50 - stateless.p50))} per stateful check`;
  const overHttp = httpCore
    ? `; over HTTP the fast path serves ${SESSION_MODES.map((mode) => {
        const [fast, core] = [http[mode]?.perSecond.median, httpCore[mode]?.perSecond.median];
        return `${mode} ${fast && core ? `${((fast / core - 1) * 100).toFixed(1)} %` : '–'}`;
      }).join(', ')} more requests a second than the core path`
    : '';
  return `${DATABASE_NAMES[database]}: what the fast path buys (medians): ${perCheck}${overHttp}.`;
}

const spreadOf = (ratio: Spread | undefined) => (ratio ? `${formatRatio(ratio.median)} (${formatRatio(ratio.p25)}–${formatRatio(ratio.p75)})` : '–');

/** The table `npm run bench` prints. */
export function formatBenchTable(run: BenchRun): string {
  const lines: string[] = [];
  lines.push('');
  lines.push(`npm run bench${run.smoke ? ' --smoke (a smoke run: the numbers mean little)' : ''}`);
  lines.push(`${run.createdAt} · commit ${run.commit} · ${run.machine}`);
  const { iterations, rounds, roundSeconds, connections } = run.settings;
  lines.push(
    `${iterations.toLocaleString('en')} checks per in-process measurement; HTTP: ${rounds} rounds of ${roundSeconds} s at ${connections} connections, ${describeSlices(run.settings)}`,
  );
  for (const result of run.databases) {
    const { checks, http, work, serverQueriesPer1000 } = result;
    lines.push('');
    lines.push(`${DATABASE_NAMES[result.database]}: in-process, per check: p50 (p25–p75), p95`);
    lines.push(
      table([
        ['', 'fast path, as requests see it', 'fast path, first sight of a token', 'core path (jose, Prisma)'],
        ...SESSION_MODES.map((mode) => {
          const measured = checks.modes[mode];
          return measured ? [mode, stat(measured), stat(measured.cold), stat(measured.core)] : [mode, '–', '–', '–'];
        }),
        ['floor: bare HMAC-SHA256', stat(checks.floors.hmac), '', ''],
        ['floor: bare indexed lookup', stat(checks.floors.lookup), '', ''],
      ]),
    );
    lines.push('');
    for (const [path, measured] of [
      ['fast path', http],
      ['core path (jose, Prisma)', result.httpCore],
    ] as const) {
      if (!measured) continue;
      lines.push(`${DATABASE_NAMES[result.database]}: GET /api/session over HTTP, ${path}: req/s and ratios, median (p25–p75) of ${rounds} rounds`);
      const perSecond = ({ median, p25, p75 }: Spread) =>
        `${Math.round(median).toLocaleString('en')} (${Math.round(p25).toLocaleString('en')}–${Math.round(p75).toLocaleString('en')})`;
      lines.push(
        table([
          ['', 'req/s', 'ratio to anonymous', 'ratio to the ignored cookie', 'ratio to a bare route'],
          ...HTTP_KINDS.map((kind) => {
            const summary = measured[kind];
            if (!summary) return [HTTP_KIND_LABELS[kind], '–', '–', '–', '–'];
            return [
              HTTP_KIND_LABELS[kind],
              perSecond(summary.perSecond),
              spreadOf(summary.ratioToAnonymous),
              spreadOf(summary.ratioToCookie),
              spreadOf(summary.ratioToBare),
            ];
          }),
          ...(measured.bare ? [['a bare Next.js route (bench/baseline)', perSecond(measured.bare), '', '', '1']] : []),
        ]),
      );
      lines.push('');
    }
    lines.push(describePlugIns(result), '');
    lines.push(
      `${DATABASE_NAMES[result.database]}: statements per 1,000 requests (${work.stateful.devices} sessions, last active over a minute ago): ` +
        `stateless ${(work.stateless.reads / work.stateless.requests) * 1000} reads, ${(work.stateless.writes / work.stateless.requests) * 1000} writes; ` +
        `stateful ${(work.stateful.reads / work.stateful.requests) * 1000} reads, ${(work.stateful.writes / work.stateful.requests) * 1000} writes. ` +
        `Counted by the server over HTTP: stateless ${Math.round(serverQueriesPer1000.stateless)}, stateful ${Math.round(serverQueriesPer1000.stateful)}.` +
        describeHybridWork(result),
    );
  }
  lines.push('');
  lines.push('Targets');
  lines.push(
    table([
      ['', 'target', 'measured', ''],
      ...judgeTargets(run).map((t) => [`${DATABASE_NAMES[t.database as 'sqlite']}: ${t.name}`, t.target, t.measured, t.met ? 'met' : 'MISSED']),
    ]),
  );
  return lines.join('\n');
}

/**
 * What a whole request costs, from one database's HTTP run on the fast path: anonymous requests'
 * rate and the server time each takes (one process serves them one after another), and per mode
 * the signed-in rate as a share of anonymous, with the in-process check beside it. A check of a
 * few microseconds is a small share of a request of a few hundred: that is why the ratios are
 * close to 1.
 */
export function wholeRequestCost({ database, checks, http }: InProcessRun) {
  const anonymousPerSecond = http.anonymous.perSecond.median;
  const modes = SESSION_MODES.flatMap((mode) => {
    const summary = http[mode];
    if (!summary) return [];
    const ratio = summary.ratioToAnonymous;
    // A round that served nothing of a kind was stored as null: no share, rather than an infinite one.
    const extraPercent = ratio.median > 0 ? (1 / ratio.median - 1) * 100 : null;
    return [{ mode, ratio, extraPercent, checkMicros: checks.modes[mode]?.p50 ?? NaN }];
  });
  return { database: DATABASE_NAMES[database], anonymousPerSecond, anonymousMicros: 1e6 / anonymousPerSecond, modes };
}
