import 'server-only';
// Builds the comparison table: for each of the article's claims, what this running server
// measured, the article's verdict, and whether the two agree; and for hybrid, which the article
// does not rate, what the design promises and whether it held. Every value comes from a live
// source: the request metrics, the stored benchmark and lab runs, freshly signed sample tokens,
// the source-line counts made at build time, the published keys, and a probe of the database.
import { getDb } from '@/lib/db/client';
import { countQueries } from '@/lib/db/query-counter';
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { formatDuration } from '@/lib/view/format';
import { MIN_SAMPLES, getSessionCheckStats, type ModeStats } from '@/lib/lab/metrics';
import { getLatestRun, describeDatabase, describeInstance, type StoredRun } from '@/lib/lab/runs';
import { describeScale, type ScaleSummary } from '@/lib/lab/scale-report';
import type { HttpRunResult } from '@/lib/lab/http-run';
import { BENCHMARK_VERSION, type BenchmarkResult } from '@/lib/lab/benchmark';
import { formatMicros, type BenchRun } from '@/lib/lab/bench-report';
import { agreement, type Agreement, type ComparisonRow } from '@/lib/lab/comparison-row';
import { complexityRow, decentralisationRow, sizeRow } from '@/lib/lab/comparison-design';
import type { LabResult } from '@/lib/lab/revocation-lab';
import type { DrillResult } from '@/lib/lab/outage-drill';
import { ASSUMED_REQUEST_INTERVAL_SECONDS, requestsPerAccessToken } from '@/lib/lab/revocation-cost';
import type { SessionUser } from '@/lib/session/04-store';
import { randomId } from '@/lib/session/01-settings';
import { listPublishedKeys } from '@/lib/session/08-hybrid-keys';
import { countActiveUsers, countUnexpiredStatelessUsers } from '@/lib/lab/active-users';
import { getTokenSamples } from '@/lib/lab/token-anatomy';

export type { Agreement, ComparisonRow };

export type DatabaseProbe = { ok: true; micros: number; database: string } | { ok: false; database: string };

export { formatMicros };

export function formatMs(ms: number) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
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

type Latency = { p25?: number; p50: number; p75?: number; p95: number };

/** The cells' wording of a latency distribution: the median, its spread, and the tail. */
function describeLatency(stat: Latency, sample: string) {
  const spread = stat.p25 !== undefined && stat.p75 !== undefined ? ` (middle half ${formatMicros(stat.p25)}–${formatMicros(stat.p75)})` : '';
  return `p50 ${formatMicros(stat.p50)}${spread} · p95 ${formatMicros(stat.p95)} · ${sample}`;
}

/**
 * Faster only when the middle halves do not overlap; otherwise the medians are too close to
 * call on this many samples. Runs stored before quartiles were recorded compare medians.
 */
function compareLatency(fast: Omit<Latency, 'p95'>, slow: Omit<Latency, 'p95'>): Agreement {
  if (fast.p75 === undefined || slow.p25 === undefined || fast.p25 === undefined || slow.p75 === undefined) {
    return fast.p50 < slow.p50 ? 'agrees' : 'disagrees';
  }
  if (fast.p75 < slow.p25) return 'agrees';
  if (slow.p75 < fast.p25) return 'disagrees';
  return 'too-close';
}

export function performanceRow(live: Record<SessionMode, ModeStats>, bench: StoredRun<BenchmarkResult> | null): ComparisonRow {
  // One source for the whole row, never a mix: the live requests once stateless and stateful have
  // enough of them, else the latest benchmark. A live hybrid median beside benchmark ones would
  // compare a page's request with a bare check.
  const haveLive = live.stateless.enough && live.stateful.enough;
  const waiting = (mode: SessionMode) =>
    live[mode].enough
      ? `${live[mode].count.toLocaleString('en')} requests; waiting for stateless and stateful to reach ${MIN_SAMPLES}`
      : `not enough requests yet (${live[mode].count} of ${MIN_SAMPLES})`;
  const cell = (mode: SessionMode) => {
    if (haveLive) return live[mode].enough ? describeLatency(live[mode], `${live[mode].count.toLocaleString('en')} requests`) : waiting(mode);
    const measured = bench?.result.modes[mode];
    return measured ? describeLatency(measured, `benchmark of ${bench!.result.iterations.toLocaleString('en')} checks`) : waiting(mode);
  };
  const hybridBench = bench?.result.modes.hybrid;
  return {
    key: 'performance',
    label: 'Performance: session check per request',
    measured: { stateless: cell('stateless'), stateful: cell('stateful'), hybrid: cell('hybrid') },
    article: { stateless: 'Faster', stateful: 'Slower', hybrid: 'As fast as stateless: no lookup per request' },
    agreement: haveLive
      ? compareLatency(live.stateless, live.stateful)
      : bench
        ? compareLatency(bench.result.modes.stateless, bench.result.modes.stateful)
        : 'too-few',
    hybridAgreement: haveLive
      ? live.hybrid.enough
        ? compareLatency(live.hybrid, live.stateful)
        : 'too-few'
      : hybridBench
        ? compareLatency(hybridBench, bench!.result.modes.stateful)
        : 'too-few',
    source: haveLive
      ? `Real requests to this process, ${describeInstance()} (${MIN_SAMPLES} per mode at least)`
      : bench
        ? `Latest stored benchmark, until stateless and stateful each have ${MIN_SAMPLES} live requests`
        : `Needs ${MIN_SAMPLES} live requests in each mode, or a benchmark run`,
  };
}

function scalabilityRow(live: Record<SessionMode, ModeStats>, bench: StoredRun<BenchmarkResult> | null, scale: StoredRun<ScaleSummary> | null): ComparisonRow {
  const perThousand = (mode: SessionMode) => {
    if (live[mode].count > 0) return live[mode].queriesPer1000 + (Number.isFinite(live[mode].housekeepingPer1000) ? live[mode].housekeepingPer1000 : 0);
    return (bench?.result.modes[mode]?.queriesPerCheck ?? NaN) * 1000;
  };
  // Hybrid's refreshes run in the proxy, where the live metrics cannot see them: their statements
  // come from the benchmark's real refreshes, spread over the requests one access token serves.
  const refresh = bench?.result.refresh;
  const refreshPer1000 = refresh ? ((refresh.reads + refresh.writes) / refresh.refreshes) * (1000 / requestsPerAccessToken()) : NaN;
  const hybridPer1000 = perThousand('hybrid') + refreshPer1000;
  const format = (value: number) => `${Math.round(value).toLocaleString('en')} queries per 1,000 requests`;
  const cell = (mode: SessionMode) => (Number.isFinite(perThousand(mode)) ? format(perThousand(mode)) : null);
  const measured = Number.isFinite(perThousand('stateless')) && Number.isFinite(perThousand('stateful'));
  return {
    key: 'scalability',
    label: 'Scalability: database load',
    measured: {
      stateless: cell('stateless'),
      stateful: cell('stateful'),
      hybrid: Number.isFinite(hybridPer1000)
        ? `${format(hybridPer1000)}: ${Math.round(perThousand('hybrid'))} from checks, ${(refresh!.reads + refresh!.writes) / refresh!.refreshes} statements per refresh, one refresh per ${requestsPerAccessToken()} requests`
        : null,
    },
    article: { stateless: 'High', stateful: 'Medium', hybrid: 'High: the row is read once per refresh, not per request' },
    agreement: agreement(measured, perThousand('stateless') < perThousand('stateful')),
    hybridAgreement: agreement(Number.isFinite(hybridPer1000) && Number.isFinite(perThousand('stateful')), hybridPer1000 < perThousand('stateful')),
    source: `Statements at the driver adapter, "last active" writes included; hybrid's refreshes at one request per ${ASSUMED_REQUEST_INTERVAL_SECONDS} s${scaleSentence(scale)}`,
  };
}

/** The latest `npm run bench:scale`, as a sentence for the scalability row; nothing without one. */
function scaleSentence(scale: StoredRun<ScaleSummary> | null) {
  const described = scale && describeScale(scale.result);
  return described ? `. PostgreSQL, npm run bench:scale (${scale.createdAt.toISOString().slice(0, 10)}, ${scale.machine.split(',')[0]}): ${described}` : '';
}

function revocationRow(lab: StoredRun<LabResult> | null): ComparisonRow {
  const env = getEnv();
  const cell = (mode: 'stateless' | 'stateful') => {
    if (!lab) return null;
    const window = lab.result.windowMs[mode];
    const lifetime = mode === 'stateless' ? env.STATELESS_TOKEN_TTL_SECONDS : env.SESSION_ABSOLUTE_TTL_SECONDS;
    if (window === null) return `still accepted after the whole ${lab.result.ttlSeconds} s lab`;
    // A stateless token is refused only at its exp: an expiry, never a revocation, whatever the milliseconds say.
    if (mode === 'stateless' || lab.result.endedBy?.[mode] === 'expired')
      return `never revoked: expired ${formatMs(window)} after sign-out, at the lab token's exp (${lab.result.ttlSeconds} s; real tokens here read for up to ${formatDuration(lifetime)})`;
    return `${formatMs(window)}: revoked`;
  };
  const hybridWindow = lab?.result.windowMs.hybrid;
  const refresh = lab?.result.hybridRefresh;
  const hybridCell =
    typeof hybridWindow === 'number'
      ? `${formatMs(hybridWindow)}${lab!.result.hybridWindowComputed ? " until its access token's exp (computed, not waited for)" : ''}; ` +
        (refresh ? `its refresh ${refresh.refusedWith ? `refused ${refresh.atMs} ms after sign-out` : 'was accepted'}` : 'its refresh not tried')
      : null;
  const holds = !!lab && lab.result.windowMs.stateful !== null && lab.result.windowMs.stateful < 1000 && (lab.result.windowMs.stateless ?? Infinity) >= 1000;
  const accessLimitMs = (env.HYBRID_ACCESS_TTL_SECONDS + env.CLOCK_TOLERANCE_SECONDS) * 1000;
  return {
    key: 'revocation',
    label: 'Revocation: sign-out to first refused request',
    measured: { stateless: cell('stateless'), stateful: cell('stateful'), hybrid: hybridCell },
    article: {
      stateless: 'Difficult',
      stateful: 'Instant',
      hybrid: `Bounded: reads until its access token expires (at most ${formatDuration(env.HYBRID_ACCESS_TTL_SECONDS)}); refresh refused at once`,
    },
    agreement: agreement(!!lab, holds),
    hybridAgreement: agreement(typeof hybridWindow === 'number', (hybridWindow ?? Infinity) <= accessLimitMs && !!refresh?.refusedWith && refresh.atMs < 1000),
    source: lab ? `Latest revocation lab, replaying every ${lab.result.intervalMs} ms` : 'Run the revocation lab below',
  };
}

/** Statements per session check: this process's live count, else the latest benchmark's. */
function queriesPerCheck(live: Record<SessionMode, ModeStats>, bench: StoredRun<BenchmarkResult> | null, mode: SessionMode) {
  return live[mode].count > 0 ? live[mode].queriesPer1000 / 1000 : (bench?.result.modes[mode]?.queriesPerCheck ?? NaN);
}

type ActiveUsers = { stateless: number; stateful: number; hybrid: number };

/** The article's "monitoring active user counts": counted from the rows requests touch, or not at all. */
function activeUsersRow(users: ActiveUsers, live: Record<SessionMode, ModeStats>, bench: StoredRun<BenchmarkResult> | null): ComparisonRow {
  const idle = formatDuration(getEnv().SESSION_IDLE_TIMEOUT_SECONDS);
  const count = (n: number) => `${n} ${n === 1 ? 'user' : 'users'}`;
  const hold = (n: number) => `${count(n)} ${n === 1 ? 'holds' : 'hold'}`;
  return {
    key: 'active-users',
    label: 'Control: counting active users',
    measured: {
      stateless: `cannot know: requests leave no trace. ${hold(users.stateless)} an unexpired token (logins, not activity)`,
      stateful: `${count(users.stateful)} active in the last ${idle}`,
      hybrid: `${count(users.hybrid)} refreshed in the last ${idle} (one refresh per access token)`,
    },
    article: { stateless: 'Not without a lookup', stateful: 'Easy', hybrid: 'Countable at refresh, to within one access token' },
    // A count of activity needs a row that requests touch: it holds while stateful checks read one and stateless checks read none.
    agreement: agreement(
      Number.isFinite(queriesPerCheck(live, bench, 'stateless')) && Number.isFinite(queriesPerCheck(live, bench, 'stateful')),
      queriesPerCheck(live, bench, 'stateless') === 0 && queriesPerCheck(live, bench, 'stateful') > 0,
    ),
    hybridAgreement: agreement(!!bench?.result.refresh, (bench?.result.refresh?.writes ?? 0) > 0),
    source: `Live session rows touched within the idle limit (${idle}), counted just now`,
  };
}

/** "12 of 12 served" for one mode during the drill's outage; "–" for a mode the run did not measure. */
export function describeOutageTally(tally: DrillResult['tallies']['during']['stateless'] | undefined) {
  if (!tally) return '–';
  const total = tally.served + tally.unavailable + tally.other;
  return `${tally.served} of ${total} served${tally.unavailable ? `, ${tally.unavailable} answered 503` : ''}${tally.other ? `, ${tally.other} other` : ''}`;
}

function infrastructureRow(
  live: Record<SessionMode, ModeStats>,
  bench: StoredRun<BenchmarkResult> | null,
  probe: DatabaseProbe,
  drill: StoredRun<DrillResult> | null,
): ComparisonRow {
  const queries = (mode: SessionMode) => queriesPerCheck(live, bench, mode);
  const measured = Number.isFinite(queries('stateless')) && Number.isFinite(queries('stateful'));
  const dbText = probe.ok ? `${probe.database}, answering in ${formatMicros(probe.micros)}` : `${probe.database}, NOT reachable`;
  const during = drill?.result.tallies.during;
  const outage = drill ? ` During a ${formatMs(drill.result.outageMs)} database outage: ` : '';
  const refreshDuring = drill?.result.refresh?.during;
  // With a drill, the row judges what the outage showed: stateless kept serving, stateful refused.
  const holds = during
    ? during.stateless.served > 0 && during.stateless.unavailable + during.stateless.other === 0 && during.stateful.served === 0
    : queries('stateless') === 0 && queries('stateful') > 0;
  const hybridDuring = during?.hybrid;
  const hybridQueries = Number.isFinite(queries('hybrid')) ? ` (${queries('hybrid')} queries per check)` : '';
  return {
    key: 'infrastructure',
    label: 'Infrastructure: what must be running for a check',
    measured: {
      stateless: `${measured ? `The signing key only (${queries('stateless')} queries per check).` : 'The signing key only.'}${during ? `${outage}${describeOutageTally(during.stateless)}.` : ''}`,
      stateful: `The signing key and the session store: ${dbText}.${during ? `${outage}${describeOutageTally(during.stateful)}.` : ''}`,
      hybrid:
        `The public keys for a read${hybridQueries}; the session store for a refresh, once per access token.` +
        (hybridDuring ? `${outage}reads ${describeOutageTally(hybridDuring)}; refreshes ${describeOutageTally(refreshDuring)}.` : ''),
    },
    article: {
      stateless: 'None beyond the server',
      stateful: 'A highly available session store',
      hybrid: 'The keys for reads; the session store only to refresh',
    },
    agreement: agreement(measured || !!during, holds),
    hybridAgreement: hybridDuring
      ? agreement(true, hybridDuring.served > 0 && hybridDuring.unavailable + hybridDuring.other === 0 && (refreshDuring?.served ?? 0) === 0)
      : agreement(Number.isFinite(queries('hybrid')), queries('hybrid') === 0),
    source: drill
      ? `Latest outage drill (${drill.database}, ${drill.result.simulated ? 'simulated in one process' : `${drill.result.instances} ${drill.result.instances === 1 ? 'instance' : 'instances'}`}); queries per check from the driver adapter; the store answered a probe just now`
      : 'Queries per check from the driver adapter; a probe of the store just now. The outage drill adds an outage.',
  };
}

/** The latest `npm run bench` run; a smoke run only when no full run was ever stored. */
export async function getLatestCliBench(): Promise<StoredRun<BenchRun> | null> {
  const run = (await getLatestRun<BenchRun>('cli-bench')) ?? (await getLatestRun<BenchRun>('cli-bench-smoke'));
  // Runs from before the HTTP rounds were sliced (the first drafts of the benchmark) have another shape.
  return run?.result.settings?.sliceMs ? run : null;
}

export async function buildComparison(viewer: SessionUser | null) {
  const now = new Date();
  const [stored, cliBench, httpRun, lab, drill, probe, keys, stateless, stateful, hybrid, scale] = await Promise.all([
    getLatestRun<BenchmarkResult>('benchmark'),
    getLatestCliBench(),
    getLatestRun<HttpRunResult>('http-run'),
    getLatestRun<LabResult>('revocation'),
    getLatestRun<DrillResult>('outage'),
    probeDatabase(),
    listPublishedKeys(),
    countUnexpiredStatelessUsers(now),
    countActiveUsers('stateful', now),
    countActiveUsers('hybrid', now),
    getLatestRun<ScaleSummary>('cli-scale'),
  ]);
  // Runs stored before the check's optimisations measured something else: not shown.
  const bench = stored?.result.version === BENCHMARK_VERSION ? stored : null;
  const sampleUser = viewer ?? { id: randomId(), name: 'Alice Example', role: 'admin', email: null };
  const samples = await getTokenSamples(sampleUser);
  const live = getSessionCheckStats();
  const rows = [
    performanceRow(live, bench),
    scalabilityRow(live, bench, scale),
    revocationRow(lab),
    activeUsersRow({ stateless, stateful, hybrid }, live, bench),
    sizeRow(samples),
    complexityRow(),
    decentralisationRow(keys.length),
    infrastructureRow(live, bench, probe, drill),
  ];
  return { rows, bench, cliBench, httpRun, lab, drill, samples, live, probe, keys };
}
