// The latest `npm run bench` run stored in this database, beside the page's own benchmark: the
// HTTP rounds and the in-process checks per database, and the targets judged on
// them. A run stored before hybrid mode shows '–' in hybrid's rows.
import type { BenchRun, InProcessRun, Spread } from '@/lib/lab/bench-report';
import { SESSION_MODES } from '@/lib/view/modes';
import { HTTP_KIND_LABELS, HTTP_KINDS, describePlugIns, describeSlices, formatMicros, formatRatio, judgeTargets } from '@/lib/lab/bench-report';
import type { StoredRun } from '@/lib/lab/runs';

const DATABASE_NAMES = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };
const CELL = 'px-3 py-1 font-mono text-xs';

function spread({ median, p25, p75 }: Spread, format: (value: number) => string) {
  return `${format(median)} (${format(p25)}–${format(p75)})`;
}

const perSecond = (value: number | null) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–');

function Table({ caption, headings, testId, children }: { caption: React.ReactNode; headings: string[]; testId?: string; children: React.ReactNode }) {
  return (
    <table data-testid={testId} className="w-full max-w-3xl border-collapse rounded-lg bg-white text-left text-sm">
      <caption className="px-3 py-1 text-left font-medium">{caption}</caption>
      <thead>
        <tr className="bg-slate-100">
          {headings.map((heading) => (
            <th key={heading} scope="col" className="px-3 py-1">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function DatabaseTables({ result, rounds }: { result: InProcessRun; rounds: number }) {
  const { checks, http, httpCore } = result;
  const name = DATABASE_NAMES[result.database];
  return (
    <div data-testid={`cli-bench-${result.database}`} className="flex flex-col gap-2">
      <Table
        caption={`${name}: GET /api/session over HTTP, median (p25–p75) of ${rounds} rounds, on the fast path and on the core's own path`}
        headings={['Request', 'Fast path: req/s', '÷ anonymous', 'Core path: req/s', '÷ anonymous']}
      >
        {HTTP_KINDS.map((kind) => (
          <tr key={kind} className="border-t border-slate-200">
            <th scope="row" className="px-3 py-1 font-medium">
              {HTTP_KIND_LABELS[kind]}
            </th>
            <td className={CELL}>{http[kind] ? spread(http[kind].perSecond, perSecond) : '–'}</td>
            <td className={CELL}>{http[kind] ? spread(http[kind].ratioToAnonymous, formatRatio) : '–'}</td>
            <td className={CELL}>{httpCore?.[kind] ? spread(httpCore[kind].perSecond, perSecond) : '–'}</td>
            <td className={CELL}>{httpCore?.[kind] ? spread(httpCore[kind].ratioToAnonymous, formatRatio) : '–'}</td>
          </tr>
        ))}
      </Table>
      <p className="text-sm text-slate-600">{describePlugIns(result)}</p>
      <Table
        caption={`${name}: in-process, p50 per check`}
        headings={['Check', 'Fast path, as requests see it', 'Fast path, first sight', 'Core path (jose, Prisma)']}
      >
        {SESSION_MODES.map((mode) => {
          const measured = checks.modes[mode];
          return (
            <tr key={mode} className="border-t border-slate-200">
              <th scope="row" className="px-3 py-1 font-medium">
                {mode}
              </th>
              <td className={CELL}>{measured ? formatMicros(measured.p50) : '–'}</td>
              <td className={CELL}>{measured ? formatMicros(measured.cold.p50) : '–'}</td>
              <td className={CELL}>{measured ? formatMicros(measured.core.p50) : '–'}</td>
            </tr>
          );
        })}
        <tr className="border-t border-slate-200">
          <th scope="row" className="px-3 py-1 font-medium">
            floors
          </th>
          <td className={CELL} colSpan={3}>
            bare HMAC {formatMicros(checks.floors.hmac.p50)} · bare indexed lookup {formatMicros(checks.floors.lookup.p50)}
          </td>
        </tr>
      </Table>
    </div>
  );
}

export function CliBenchResults({ run }: { run: StoredRun<BenchRun> | null }) {
  if (!run) {
    return (
      <p data-testid="cli-bench" className="text-sm text-slate-500">
        No <code>npm run bench</code> run is stored in this database yet. Run it from a terminal: it also measures requests per second over HTTP, and on
        PostgreSQL.
      </p>
    );
  }
  const report = run.result;
  const targets = judgeTargets(report);
  return (
    <div data-testid="cli-bench" className="flex flex-col gap-3">
      <h3 className="font-semibold">
        Latest <code>npm run bench</code>
      </h3>
      <p className="text-sm text-slate-600">
        Run of {report.createdAt.replace('T', ' ').slice(0, 19)} UTC · commit {report.commit} · {report.machine} ·{' '}
        {report.settings.iterations.toLocaleString('en')} checks per in-process measurement; HTTP at {report.settings.connections} connections,{' '}
        {describeSlices(report.settings)}.{report.smoke ? ' A smoke run (npm test runs it to prove the command works): its numbers mean little.' : ''}
      </p>
      {report.databases.map((result) => (
        <DatabaseTables key={result.database} result={result} rounds={report.settings.rounds} />
      ))}
      <Table testId="cli-bench-targets" caption="The targets, judged on this run" headings={['Target', 'Measured', 'Verdict']}>
        {targets.map((target) => (
          <tr key={`${target.database}-${target.name}`} className="border-t border-slate-200">
            <th scope="row" className="px-3 py-1 font-medium">
              {DATABASE_NAMES[target.database as InProcessRun['database']]}: {target.name} ({target.target})
            </th>
            <td className={CELL}>{target.measured}</td>
            <td className={`px-3 py-1 font-medium ${target.met ? 'text-emerald-700' : 'text-red-700'}`}>{target.met ? 'met' : 'missed'}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
