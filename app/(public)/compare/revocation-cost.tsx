// The chart of the trade-off the article is about: how long a signed-out device keeps reading,
// against how many database reads per 1,000 requests each mode pays for that. The reads come from
// the latest benchmark on this server, the windows from the revocation lab and the configuration.
import { ScatterChart, type ScatterPoint } from '@/components/compare-scatter-chart';
import type { BenchmarkResult } from '@/lib/lab/benchmark';
import { formatMs } from '@/lib/lab/comparison';
import type { LabResult } from '@/lib/lab/revocation-lab';
import { ASSUMED_REQUEST_INTERVAL_SECONDS, requestsPerAccessToken, revocationCostPoints } from '@/lib/lab/revocation-cost';
import type { StoredRun } from '@/lib/lab/runs';
import { getEnv } from '@/lib/env';

function formatWindow(seconds: number) {
  return seconds === 0 ? '0 s (the next request)' : seconds < 1 ? formatMs(Math.round(seconds * 1000)) : `${seconds.toLocaleString('en')} s`;
}

export function RevocationCost({ bench, lab }: { bench: StoredRun<BenchmarkResult> | null; lab: StoredRun<LabResult> | null }) {
  const env = getEnv();
  const points: ScatterPoint[] = revocationCostPoints(bench, lab).map((point) => ({
    label: point.mode,
    x: point.windowSeconds,
    y: point.readsPer1000,
    xDisplay: formatWindow(point.windowSeconds),
    yDisplay: point.readsPer1000 === null ? '–' : point.readsPer1000.toLocaleString('en'),
    tone: point.mode,
    note: `${point.windowSource}. Reads: ${point.readsSource}.`,
  }));
  return (
    <div data-testid="revocation-cost" className="flex flex-col gap-3">
      <ScatterChart
        id="revocation-cost"
        title="Revocation window against database reads per 1,000 requests"
        description="One point per mode. Right is a longer window in which a signed-out device keeps reading; up is more database reads (logarithmic)."
        points={points}
        xHeading="Revocation window (s)"
        yHeading="Reads per 1,000 requests"
      />
      <p data-testid="revocation-cost-assumption" className="max-w-3xl text-sm text-slate-700">
        Hybrid&apos;s reads depend on how often a device sends a request. Assumed here: one every {ASSUMED_REQUEST_INTERVAL_SECONDS} s. The proxy renews an
        access token {env.HYBRID_REFRESH_LEEWAY_SECONDS} s before its exp, so one lives {env.HYBRID_ACCESS_TTL_SECONDS - env.HYBRID_REFRESH_LEEWAY_SECONDS} s in
        use and serves {requestsPerAccessToken()} requests: one refresh per {requestsPerAccessToken()} requests. A device that asks less often pays more per
        request, never more per minute. Writes are left out: a refresh also writes (rotation), as a stateful session writes &ldquo;last active&rdquo; once a
        minute.
      </p>
      {!bench ? <p className="text-sm text-slate-500">No benchmark has been run on this database yet: run it above to measure the reads.</p> : null}
    </div>
  );
}
