// What a whole request costs, beside the in-process microseconds: the signed-in request rate as a
// share of the anonymous one, per mode, from the latest stored `npm run bench` (its HTTP rounds).
import { formatMicros, formatRatio, wholeRequestCost, type BenchRun } from '@/lib/lab/bench-report';
import type { StoredRun } from '@/lib/lab/runs';

export function WholeRequest({ run }: { run: StoredRun<BenchRun> | null }) {
  const measured = run?.result.databases[0];
  if (!run || !measured) {
    return (
      <p data-testid="whole-request" className="text-sm text-slate-700">
        <strong>A whole request</strong> costs more than its check: <code>npm run bench</code>, run from a terminal, measures signed-in requests against
        anonymous ones over HTTP. No run of it is stored in this database yet.
      </p>
    );
  }
  const cost = wholeRequestCost(measured);
  return (
    <p data-testid="whole-request" className="text-sm text-slate-700">
      <strong>A whole request</strong> ({cost.database}, <code>npm run bench</code> of {run.result.createdAt.replace('T', ' ').slice(0, 16)} UTC
      {run.result.smoke ? ', a smoke run whose numbers mean little' : ''}): anonymous requests are served at{' '}
      {Math.round(cost.anonymousPerSecond).toLocaleString('en')}/s, about {formatMicros(cost.anonymousMicros)} of the server each; a check adds microseconds
      (p50 {cost.modes.map(({ mode, checkMicros }) => `${mode} ${formatMicros(checkMicros)}`).join(', ')}). So a signed-in request keeps most of the anonymous
      rate:{' '}
      {cost.modes
        .map(
          ({ mode, ratio, extraPercent }) =>
            `${mode} ${formatRatio(ratio.median)} (${formatRatio(ratio.p25)}–${formatRatio(ratio.p75)}), ${extraPercent === null ? '–' : `${extraPercent.toFixed(0)}%`} more time`,
        )
        .join('; ')}
      . A few per cent, not times more.
    </p>
  );
}
