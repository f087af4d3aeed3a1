// The latest outage drill: who was served before, during and after the database went away, per
// mode, and how soon each instance served stateful requests again. Hybrid's refresh is tallied
// apart: its reads need only the keys, its refresh needs the row.
import { describeOutageTally } from '@/lib/lab/comparison';
import type { DrillResult } from '@/lib/lab/outage-drill';
import type { StoredRun } from '@/lib/lab/runs';
import { SESSION_MODES } from '@/lib/view/modes';
import { HeadCell, ModeHeadCells } from './table-cells';
import { ScrollBox } from '@/components/scroll-box';

export function DrillResults({ run }: { run: StoredRun<DrillResult> }) {
  const { tallies, recoveryMs, outageMs, intervalMs, refresh } = run.result;
  const phases = [
    ['before', 'Before'],
    ['during', `During the ${outageMs / 1000} s outage`],
    ['after', 'After it returned'],
  ] as const;
  return (
    <div data-testid="drill-results" className="flex flex-col gap-2 text-sm">
      <p className="text-slate-600">
        Run of {run.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC · database {run.database} ·{' '}
        {run.result.simulated ? (
          <strong data-testid="drill-run-simulated">a simulated outage: every query of one server process failed; no database was stopped</strong>
        ) : (
          `${run.result.instances} ${run.result.instances === 1 ? 'instance' : 'instances'} behind the front door`
        )}{' '}
        · every token sent every {intervalMs} ms · {run.machine}.
      </p>
      <ScrollBox label="Requests served per phase of the outage drill">
        <table className="w-full max-w-2xl border-collapse rounded-lg bg-white text-left">
          <caption className="sr-only">Requests served per phase of the outage drill</caption>
          <thead>
            <tr className="bg-slate-100">
              <HeadCell>Phase</HeadCell>
              <ModeHeadCells />
            </tr>
          </thead>
          <tbody>
            {phases.map(([phase, label]) => (
              <tr key={phase} data-testid={`drill-${phase}`} className="border-t border-slate-200">
                <th scope="row" className="px-3 py-2 font-medium">
                  {label}
                </th>
                {SESSION_MODES.map((mode) => (
                  <td key={mode} className="px-3 py-2 font-mono text-xs">
                    {describeOutageTally(tallies[phase][mode])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {refresh ? (
        <p data-testid="drill-refresh">
          Hybrid refreshes: during the outage {describeOutageTally(refresh.during)}; after it {describeOutageTally(refresh.after)}. Its reads need only the
          public keys each instance holds; a refresh needs the session&apos;s row.
        </p>
      ) : null}
      <p data-testid="drill-recovery">
        Stateful requests served again after the database returned:{' '}
        {Object.entries(recoveryMs)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([instance, ms]) => `${run.result.simulated ? instance : `instance ${instance}`} after ${ms === null ? 'more than 10 s' : `${ms} ms`}`)
          .join(', ')}
        , with no restart.
      </p>
    </div>
  );
}
