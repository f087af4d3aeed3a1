import 'server-only';
// Builds the comparison table: for each of the article's claims, what this running server
// measured, the article's verdict, and whether the two agree. Every value comes from a live
// source: the request metrics, the stored benchmark and lab runs, freshly signed sample tokens,
// the source-line counts made at build time, and a probe of the database.
import sourceStats from '@/lib/generated/source-stats.json';
import { getDb } from '@/lib/db/client';
import { countQueries } from '@/lib/db/query-counter';
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { formatDuration } from '@/lib/view/format';
import { MIN_SAMPLES, getSessionCheckStats, type ModeStats } from '@/lib/lab/metrics';
import { getLatestRun, describeDatabase, describeInstance, type StoredRun } from '@/lib/lab/runs';
import { BENCHMARK_VERSION, type BenchmarkResult } from '@/lib/lab/benchmark';
import { formatMicros, type BenchRun } from '@/lib/lab/bench-report';
import type { LabResult } from '@/lib/lab/revocation-lab';
import type { DrillResult } from '@/lib/lab/outage-drill';
import type { SessionUser } from '@/lib/session';
import { randomId } from '@/lib/session/ids';
import { COOKIE_LIMIT_BYTES, getTokenSamples, type TokenSample } from '@/lib/lab/token-anatomy';

/** 'too-few': not enough samples to judge; 'too-close': measured, but the spreads overlap. */
export type Agreement = 'agrees' | 'disagrees' | 'too-close' | 'too-few' | 'unmeasured';

export type ComparisonRow = {
  key: 'performance' | 'scalability' | 'revocation' | 'size' | 'complexity' | 'infrastructure';
  label: string;
  measured: Record<SessionMode, string | null>;
  article: Record<SessionMode, string>;
  agreement: Agreement;
  source: string;
};

export type DatabaseProbe = { ok: true; micros: number; database: string } | { ok: false; database: string };

export { formatMicros };

function formatMs(ms: number) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

function agreement(measured: boolean, holds: boolean): Agreement {
  if (!measured) return 'unmeasured';
  return holds ? 'agrees' : 'disagrees';
}

async function probeDatabase(): Promise<DatabaseProbe> {
  const database = describeDatabase();
  try {
    const started = performance.now();
    await countQueries(() => getDb().$queryRaw`SELECT 1`);
    return { ok: true, micros: Math.round((performance.now() - started) * 1000), database };
  } catch {
    return { ok: false, database };
  }
}

/** The cells' wording of a latency distribution: the median, its spread, and the tail. */
function describeLatency(stat: { p25?: number; p50: number; p75?: number; p95: number }, sample: string) {
  const spread = stat.p25 !== undefined && stat.p75 !== undefined ? ` (middle half ${formatMicros(stat.p25)}–${formatMicros(stat.p75)})` : '';
  return `p50 ${formatMicros(stat.p50)}${spread} · p95 ${formatMicros(stat.p95)} · ${sample}`;
}

/**
 * Faster only when the middle halves do not overlap; otherwise the medians are too close to
 * call on this many samples. Runs stored before quartiles were recorded compare medians.
 */
function compareLatency(stateless: { p25?: number; p50: number; p75?: number }, stateful: { p25?: number; p50: number; p75?: number }): Agreement {
  if (stateless.p75 === undefined || stateful.p25 === undefined || stateless.p25 === undefined || stateful.p75 === undefined) {
    return stateless.p50 < stateful.p50 ? 'agrees' : 'disagrees';
  }
  if (stateless.p75 < stateful.p25) return 'agrees';
  if (stateful.p75 < stateless.p25) return 'disagrees';
  return 'too-close';
}

export function performanceRow(live: Record<SessionMode, ModeStats>, bench: StoredRun<BenchmarkResult> | null): ComparisonRow {
  const haveLive = live.stateless.enough && live.stateful.enough;
  const cell = (mode: SessionMode) => {
    if (haveLive) return describeLatency(live[mode], `${live[mode].count.toLocaleString('en')} requests`);
    if (bench) return describeLatency(bench.result.modes[mode], `benchmark of ${bench.result.iterations.toLocaleString('en')} checks`);
    return `not enough requests yet (${live[mode].count} of ${MIN_SAMPLES})`;
  };
  const judged = haveLive
    ? compareLatency(live.stateless, live.stateful)
    : bench
      ? compareLatency(bench.result.modes.stateless, bench.result.modes.stateful)
      : 'too-few';
  return {
    key: 'performance',
    label: 'Performance: session check per request',
    measured: { stateless: cell('stateless'), stateful: cell('stateful') },
    article: { stateless: 'Faster', stateful: 'Slower' },
    agreement: judged,
    source: haveLive
      ? `Rolling window of real requests to this server process, ${describeInstance()} (judged from ${MIN_SAMPLES} requests per mode)`
      : bench
        ? `Latest stored benchmark: fewer than ${MIN_SAMPLES} live requests in each mode so far`
        : `Needs ${MIN_SAMPLES} live requests in each mode, or a benchmark run`,
  };
}

function scalabilityRow(live: Record<SessionMode, ModeStats>, bench: StoredRun<BenchmarkResult> | null): ComparisonRow {
  const perThousand = (mode: SessionMode) => {
    if (live[mode].count > 0) return live[mode].queriesPer1000 + (Number.isFinite(live[mode].housekeepingPer1000) ? live[mode].housekeepingPer1000 : 0);
    if (bench) return (bench.result.modes[mode].queriesPerCheck ?? NaN) * 1000;
    return NaN;
  };
  const cell = (mode: SessionMode) => {
    const value = perThousand(mode);
    return Number.isFinite(value) ? `${Math.round(value).toLocaleString('en')} queries per 1,000 requests` : null;
  };
  const measured = Number.isFinite(perThousand('stateless')) && Number.isFinite(perThousand('stateful'));
  return {
    key: 'scalability',
    label: 'Scalability: database load',
    measured: { stateless: cell('stateless'), stateful: cell('stateful') },
    article: { stateless: 'High', stateful: 'Medium' },
    agreement: agreement(measured, perThousand('stateless') < perThousand('stateful')),
    source: `Statements counted at the Prisma driver adapter of this server process (${describeInstance()}), including the once-a-minute "last active" writes`,
  };
}

function revocationRow(lab: StoredRun<LabResult> | null): ComparisonRow {
  const env = getEnv();
  const cell = (mode: SessionMode) => {
    if (!lab) return null;
    const window = lab.result.windowMs[mode];
    const lifetime = mode === 'stateless' ? env.STATELESS_TOKEN_TTL_SECONDS : env.SESSION_ABSOLUTE_TTL_SECONDS;
    if (window === null) return `still accepted after the whole ${lab.result.ttlSeconds} s lab`;
    const suffix = mode === 'stateless' ? `: the lab token's lifetime of ${lab.result.ttlSeconds} s (real tokens here: up to ${formatDuration(lifetime)})` : '';
    return `${formatMs(window)}${suffix}`;
  };
  const holds = !!lab && lab.result.windowMs.stateful !== null && lab.result.windowMs.stateful < 1000 && (lab.result.windowMs.stateless ?? Infinity) >= 1000;
  return {
    key: 'revocation',
    label: 'Revocation: sign-out to first refused request',
    measured: { stateless: cell('stateless'), stateful: cell('stateful') },
    article: { stateless: 'Difficult', stateful: 'Instant' },
    agreement: agreement(!!lab, holds),
    source: lab ? `Latest revocation lab, replaying every ${lab.result.intervalMs} ms` : 'Run the revocation lab below',
  };
}

function sizeRow(samples: TokenSample[]): ComparisonRow {
  const bytes = (mode: SessionMode) => samples.find((s) => s.mode === mode)!.cookieBytes;
  const cell = (mode: SessionMode) => `${bytes(mode)} bytes (${((bytes(mode) / COOKIE_LIMIT_BYTES) * 100).toFixed(1)}% of 4,096)`;
  return {
    key: 'size',
    label: 'Token size: cookie sent with every request',
    measured: { stateless: cell('stateless'), stateful: cell('stateful') },
    article: { stateless: 'Larger (a listed con)', stateful: 'Smaller' },
    agreement: agreement(true, bytes('stateless') > bytes('stateful')),
    source: 'Tokens signed just now by the same code that issues real ones',
  };
}

function complexityRow(): ComparisonRow {
  const { modes, shared } = sourceStats;
  const sharedLines = shared.reduce((sum, file) => sum + file.code, 0);
  const cell = (mode: SessionMode) => `${modes[mode].code} lines in ${modes[mode].file}`;
  return {
    key: 'complexity',
    label: 'Complexity: code of each mode’s own module',
    measured: { stateless: cell('stateless'), stateful: cell('stateful') },
    article: { stateless: 'Low', stateful: 'High' },
    // A difference of a few lines says nothing about which design is simpler.
    agreement:
      Math.abs(modes.stateful.code - modes.stateless.code) < 0.1 * Math.max(modes.stateful.code, modes.stateless.code)
        ? 'too-close'
        : agreement(true, modes.stateless.code < modes.stateful.code),
    source: `Lines of code (TypeScript's scanner, at build time, ${sourceStats.countedAt.slice(0, 10)}) of the session reference only (lib/session); both modes share the other ${shared.length} files, ${sharedLines} lines. The lab that measures them is not counted.`,
  };
}

/** "12 of 12 served" for one mode during the drill's outage. */
export function describeOutageTally(tally: DrillResult['tallies']['during'][SessionMode]) {
  const total = tally.served + tally.unavailable + tally.other;
  return `${tally.served} of ${total} served${tally.unavailable ? `, ${tally.unavailable} answered 503` : ''}${tally.other ? `, ${tally.other} other` : ''}`;
}

function infrastructureRow(
  live: Record<SessionMode, ModeStats>,
  bench: StoredRun<BenchmarkResult> | null,
  probe: DatabaseProbe,
  drill: StoredRun<DrillResult> | null,
): ComparisonRow {
  const queries = (mode: SessionMode) => (live[mode].count > 0 ? live[mode].queriesPer1000 / 1000 : (bench?.result.modes[mode].queriesPerCheck ?? NaN));
  const measured = Number.isFinite(queries('stateless')) && Number.isFinite(queries('stateful'));
  const dbText = probe.ok ? `${probe.database}, answering in ${formatMicros(probe.micros)}` : `${probe.database}, NOT reachable`;
  const during = drill?.result.tallies.during;
  const outage = drill ? ` During a ${formatMs(drill.result.outageMs)} database outage: ` : '';
  // With a drill, the row judges what the outage showed: stateless kept serving, stateful refused.
  const holds = during
    ? during.stateless.served > 0 && during.stateless.unavailable + during.stateless.other === 0 && during.stateful.served === 0
    : queries('stateless') === 0 && queries('stateful') > 0;
  return {
    key: 'infrastructure',
    label: 'Infrastructure: what must be running for a check',
    measured: {
      stateless: `${measured ? `The signing key only (${queries('stateless')} queries per check).` : 'The signing key only.'}${during ? `${outage}${describeOutageTally(during.stateless)}.` : ''}`,
      stateful: `The signing key and the session store: ${dbText}.${during ? `${outage}${describeOutageTally(during.stateful)}.` : ''}`,
    },
    article: { stateless: 'None beyond the server', stateful: 'A highly available session store' },
    agreement: agreement(measured || !!during, holds),
    source: drill
      ? `Latest outage drill (${drill.database}, ${drill.result.instances} ${drill.result.instances === 1 ? 'instance' : 'instances'}); queries per check from the driver adapter; the store answered a probe just now`
      : 'Queries per check from the driver adapter; the store answered a probe just now. The outage drill (cluster only) adds what an outage does.',
  };
}

/** The latest `npm run bench` run; a smoke run only when no full run was ever stored. */
async function getLatestCliBench(): Promise<StoredRun<BenchRun> | null> {
  const run = (await getLatestRun<BenchRun>('cli-bench')) ?? (await getLatestRun<BenchRun>('cli-bench-smoke'));
  // Runs from before the HTTP rounds were sliced (issue 11's first drafts) have another shape.
  return run?.result.settings?.sliceMs ? run : null;
}

export async function buildComparison(viewer: SessionUser | null) {
  const [stored, cliBench, lab, drill, probe] = await Promise.all([
    getLatestRun<BenchmarkResult>('benchmark'),
    getLatestCliBench(),
    getLatestRun<LabResult>('revocation'),
    getLatestRun<DrillResult>('outage'),
    probeDatabase(),
  ]);
  // Runs stored before the check's optimisations (issue 11) measured something else: not shown.
  const bench = stored?.result.version === BENCHMARK_VERSION ? stored : null;
  const sampleUser = viewer ?? { id: randomId(), name: 'Alice Example', role: 'admin', email: null };
  const samples = await getTokenSamples(sampleUser);
  const live = getSessionCheckStats();
  const rows = [
    performanceRow(live, bench),
    scalabilityRow(live, bench),
    revocationRow(lab),
    sizeRow(samples),
    complexityRow(),
    infrastructureRow(live, bench, probe, drill),
  ];
  return { rows, bench, cliBench, lab, drill, samples, live, probe };
}
