// What a whole request costs, beside the in-process microseconds: the signed-in request rate as a
// share of the anonymous one, per mode, from the latest stored `npm run bench` (its HTTP rounds),
// or else from the page's own short run, which any signed-in visitor can start.
import { HttpRunner } from '@/components/http-runner';
import { formatMicros, formatRatio, wholeRequestCost, type BenchRun } from '@/lib/lab/bench-report';
import { httpRunSeconds, httpRunCost, type HttpRunResult } from '@/lib/lab/http-run';
import type { StoredRun } from '@/lib/lab/runs';
import type { SessionMode } from '@/lib/view/modes';

type Share = { mode: SessionMode; ratio: { median: number; p25: number; p75: number }; extraPercent: number | null };

const WHY =
  'Why so little: a check takes microseconds, while the rest of a request (the connection, parsing HTTP, routing, the JSON answer) takes hundreds of them.';

function shares(modes: Share[]) {
  return modes
    .map(
      ({ mode, ratio, extraPercent }) =>
        `${mode} ${formatRatio(ratio.median)} (${formatRatio(ratio.p25)}–${formatRatio(ratio.p75)}), ${extraPercent === null ? '–' : `${extraPercent.toFixed(0)}%`} more time`,
    )
    .join('; ');
}

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

export function WholeRequest({ run, httpRun, canRun }: { run: StoredRun<BenchRun> | null; httpRun: StoredRun<HttpRunResult> | null; canRun: boolean }) {
  const measured = run?.result.databases[0];
  if (run && measured) {
    const cost = wholeRequestCost(measured);
    return (
      <p data-testid="whole-request" className="text-sm text-slate-700">
        <strong>A whole request</strong> ({cost.database}, <code>npm run bench</code> of {when(run.result.createdAt)}
        {run.result.smoke ? ', a smoke run whose numbers mean little' : ''}): anonymous requests are served at{' '}
        {Math.round(cost.anonymousPerSecond).toLocaleString('en')}/s, about {formatMicros(cost.anonymousMicros)} of the server each; a check adds microseconds
        (p50 {cost.modes.map(({ mode, checkMicros }) => `${mode} ${formatMicros(checkMicros)}`).join(', ')}). So a signed-in request keeps most of the anonymous
        rate: {shares(cost.modes)}. A few per cent, not times more. {WHY}
      </p>
    );
  }
  const runner = canRun ? <HttpRunner seconds={httpRunSeconds()} /> : <p className="text-sm">Log in to measure whole requests on this server.</p>;
  if (!httpRun) {
    return (
      <div className="flex flex-col gap-2">
        <p data-testid="whole-request" className="text-sm text-slate-700">
          <strong>A whole request</strong> costs more than its check. No <code>npm run bench</code> run is stored in this database yet: measure signed-in
          requests against anonymous ones over HTTP here, in about {httpRunSeconds()} seconds.
        </p>
        {runner}
      </div>
    );
  }
  const cost = httpRunCost(httpRun.result);
  return (
    <div className="flex flex-col gap-2">
      <p data-testid="whole-request" className="text-sm text-slate-700">
        <strong>A whole request</strong> (a short run on this page, {when(httpRun.createdAt.toISOString())}, {httpRun.database}: {httpRun.result.rounds} rounds
        of 1 s, {httpRun.result.connections} connections from a load generator on this machine; <code>npm run bench</code> measures for longer): anonymous
        requests are served at {Math.round(cost.anonymousPerSecond).toLocaleString('en')}/s, about {formatMicros(cost.anonymousMicros)} of the server each. A
        signed-in request keeps most of that rate: {shares(cost.modes)}. {WHY}
      </p>
      {runner}
    </div>
  );
}
