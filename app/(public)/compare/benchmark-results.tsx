// The latest in-page benchmark: each mode's check as requests see it, on a token's first sight and
// on the library path it replaced, beside the two floors; checks per second; and what each
// optimisation bought. A run stored before hybrid mode shows no hybrid bars.
import { BarChart, type Bar } from '@/components/bar-chart';
import type { BenchmarkResult } from '@/lib/lab/benchmark';
import { formatMicros } from '@/lib/lab/comparison';
import type { StoredRun } from '@/lib/lab/runs';
import { SESSION_MODES } from '@/lib/view/modes';
import { MODE_NAMES } from './table-cells';

const CORE_PATHS = { stateless: 'jose', stateful: 'jose, Prisma', hybrid: 'jose, WebCrypto Ed25519' };

export function BenchmarkResults({ run }: { run: StoredRun<BenchmarkResult> }) {
  const { modes, floors, ironUnseal, refresh } = run.result;
  const micros = (label: string, value: number, tone: Bar['tone']): Bar => ({ label, value, display: formatMicros(value), tone });
  const perSecond = (label: string, value: number, tone: Bar['tone']): Bar => ({ label, value, display: `${value.toLocaleString('en')}/s`, tone });
  const measuredModes = SESSION_MODES.flatMap((mode) => {
    const measured = modes[mode];
    return measured ? [{ mode, name: MODE_NAMES[mode], measured }] : [];
  });
  const latency: Bar[] = [
    ...measuredModes.flatMap(({ mode, name, measured }) => [
      micros(`${name} check p50`, measured.p50, mode),
      micros(`${name} check p95`, measured.p95, mode),
      micros(`${name}, first sight of a token p50`, measured.cold.p50, mode),
      micros(`${name}, core path (${CORE_PATHS[mode]}) p50`, measured.core.p50, mode),
    ]),
    micros('Floor: raw HMAC p50', floors.hmac.p50, 'floor'),
    micros('Floor: raw lookup p50', floors.lookup.p50, 'floor'),
    micros('iron-session unseal p50', ironUnseal.p50, 'other'),
  ];
  const throughput: Bar[] = [
    ...measuredModes.map(({ mode, name, measured }) => perSecond(`${name} checks`, measured.perSecond, mode)),
    perSecond('Floor: raw HMAC', floors.hmac.perSecond, 'floor'),
    perSecond('Floor: raw lookup', floors.lookup.perSecond, 'floor'),
  ];
  const hybrid = modes.hybrid;
  return (
    <div data-testid="benchmark-results" className="flex flex-col gap-4">
      <p className="text-sm text-slate-600">
        Run of {run.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC · {run.result.iterations.toLocaleString('en')} checks per mode · {run.machine} ·
        database {run.database}. Queries per check: stateless {modes.stateless.queriesPerCheck}, stateful {modes.stateful.queriesPerCheck}.
        {hybrid ? ` Hybrid: ${hybrid.queriesPerCheck} per check` : ''}
        {hybrid && refresh
          ? `, and ${refresh.reads / refresh.refreshes} reads and ${refresh.writes / refresh.refreshes} writes per refresh (${refresh.refreshes} real refreshes), once per access token.`
          : hybrid
            ? '.'
            : ''}
      </p>
      <BarChart
        id="latency"
        title="Latency per session check (lower is better)"
        description="Microseconds per check: on the fast path as requests see it and on a token's first sight, and on the core's own path, with the hardware floors."
        valueHeading="Time per check"
        bars={latency}
      />
      <BarChart
        id="throughput"
        title="Checks per second on one core (higher is better)"
        description="Sequential checks per second."
        valueHeading="Checks per second"
        bars={throughput}
      />
      <p data-testid="benchmark-gap" className="max-w-3xl text-sm">
        What the fast path buys over the core&apos;s own path. On the core path (what you copy), a stateless check costs{' '}
        {formatMicros(modes.stateless.core.p50)} through jose&apos;s <code>jwtVerify</code>. The fast path verifies with node:crypto: a token&apos;s first sight
        costs {formatMicros(modes.stateless.cold.p50)} ({(modes.stateless.cold.p50 / floors.hmac.p50).toFixed(1)}× a bare HMAC check), and as requests see it{' '}
        {formatMicros(modes.stateless.p50)} ({(modes.stateless.p50 / floors.hmac.p50).toFixed(1)}× the floor: the proxy verified the token first, and the
        data-access layer finds it in the cache of verified tokens). A stateful check adds its row, read on every request: through Prisma&apos;s{' '}
        <code>findUnique</code> it adds {formatMicros(modes.stateful.core.p50 - modes.stateless.core.p50)} ({modes.stateful.coreQueriesPerCheck} statements),
        through the fast path&apos;s prepared statement {formatMicros(modes.stateful.p50 - modes.stateless.p50)} ({modes.stateful.queriesPerCheck}), against a
        bare lookup of {formatMicros(floors.lookup.p50)}. The cache never skips that read, so revocation stays instant; what adopting the fast path costs you is
        the memory (at most <code>VERIFIED_TOKEN_CACHE_ENTRIES</code> tokens) and a verifier you own.
        {hybrid
          ? ` A hybrid check costs what a stateless one does once its token is cached (${formatMicros(hybrid.p50)}); its first sight is an Ed25519 verification, ${formatMicros(hybrid.cold.p50)}, paid once per access token and process.`
          : ''}
      </p>
    </div>
  );
}
