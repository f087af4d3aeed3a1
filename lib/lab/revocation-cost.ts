import 'server-only';
// The chart of /compare: what each mode pays in database reads for how quickly it can be revoked.
// One point per mode: x, the revocation window (how long a signed-out device keeps reading), and
// y, the reads per 1,000 requests that the mode's check sent in the latest benchmark.
//
// Stateless and stateful are per request. Hybrid reads nothing per request but reads the row once
// per refresh, so its reads per 1,000 requests depend on how many requests one access token
// serves, which depends on how often a device sends one: ASSUMED_REQUEST_INTERVAL_SECONDS, stated
// beside the chart. The proxy renews an access token HYBRID_REFRESH_LEEWAY_SECONDS before its exp,
// so under steady use a token serves (lifetime − leeway) ÷ interval requests.
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import type { BenchmarkResult } from '@/lib/lab/benchmark';
import type { LabResult } from '@/lib/lab/revocation-lab';
import type { StoredRun } from '@/lib/lab/runs';

/** One request every 2 s per device: a page with a few API calls, or a polling dashboard. */
export const ASSUMED_REQUEST_INTERVAL_SECONDS = 2;

export type CostPoint = {
  mode: SessionMode;
  windowSeconds: number;
  windowSource: string;
  /** Null when the latest benchmark did not measure this mode (a run from before hybrid mode). */
  readsPer1000: number | null;
  readsSource: string;
};

/** Requests one hybrid access token serves under steady use, before the proxy renews it. */
export function requestsPerAccessToken() {
  const env = getEnv();
  return Math.max(1, Math.floor((env.HYBRID_ACCESS_TTL_SECONDS - env.HYBRID_REFRESH_LEEWAY_SECONDS) / ASSUMED_REQUEST_INTERVAL_SECONDS));
}

function round(value: number) {
  return Math.round(value * 10) / 10;
}

/** Reads per 1,000 requests of each mode's check, and for hybrid its refreshes. */
function readsPer1000(mode: SessionMode, bench: StoredRun<BenchmarkResult> | null): Pick<CostPoint, 'readsPer1000' | 'readsSource'> {
  const measured = bench?.result.modes[mode];
  if (!measured) return { readsPer1000: null, readsSource: 'Run the benchmark to measure it' };
  const checks = measured.checksCounted ?? bench.result.iterations;
  const perCheck = `${round(measured.queriesPerCheck * 1000)} per 1,000 checks (counted over ${checks.toLocaleString('en')} real checks)`;
  if (mode !== 'hybrid') return { readsPer1000: round(measured.queriesPerCheck * 1000), readsSource: perCheck };
  const refresh = bench.result.refresh;
  if (!refresh) return { readsPer1000: null, readsSource: 'Run the benchmark to measure a refresh' };
  const perRefresh = refresh.reads / refresh.refreshes;
  const requests = requestsPerAccessToken();
  return {
    readsPer1000: round(measured.queriesPerCheck * 1000 + (perRefresh * 1000) / requests),
    readsSource: `${perCheck}, plus ${round(perRefresh)} reads per refresh (counted over ${refresh.refreshes} real refreshes), one refresh per ${requests} requests`,
  };
}

export function revocationCostPoints(bench: StoredRun<BenchmarkResult> | null, lab: StoredRun<LabResult> | null): CostPoint[] {
  const env = getEnv();
  const tolerance = env.CLOCK_TOLERANCE_SECONDS;
  const stateful = lab?.result.windowMs.stateful;
  const hybrid = lab?.result.windowMs.hybrid;
  return [
    {
      mode: 'stateless',
      windowSeconds: env.STATELESS_TOKEN_TTL_SECONDS + tolerance,
      windowSource: `Configured token lifetime (STATELESS_TOKEN_TTL_SECONDS, ${env.STATELESS_TOKEN_TTL_SECONDS} s) plus the clock tolerance (${tolerance} s)`,
      ...readsPer1000('stateless', bench),
    },
    {
      mode: 'hybrid',
      windowSeconds: typeof hybrid === 'number' ? round(hybrid / 1000) : env.HYBRID_ACCESS_TTL_SECONDS + tolerance,
      windowSource:
        typeof hybrid === 'number'
          ? lab!.result.hybridWindowComputed
            ? "Revocation lab: its access token's exp plus the clock tolerance, counted from the sign-out (computed, not waited for)"
            : 'Revocation lab: sign-out to the first refused replay'
          : `Configured access-token lifetime (HYBRID_ACCESS_TTL_SECONDS, ${env.HYBRID_ACCESS_TTL_SECONDS} s) plus the clock tolerance (${tolerance} s)`,
      ...readsPer1000('hybrid', bench),
    },
    {
      mode: 'stateful',
      windowSeconds: typeof stateful === 'number' ? stateful / 1000 : 0,
      windowSource: typeof stateful === 'number' ? 'Revocation lab: sign-out to the first refused replay' : 'By design: the next request reads the revoked row',
      ...readsPer1000('stateful', bench),
    },
  ];
}
