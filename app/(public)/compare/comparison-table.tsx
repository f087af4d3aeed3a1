// The article's table, measured: one row per claim, a cell per mode with the article's word (for
// hybrid, which the article does not rate, what the design promises) under the measurement, and
// the verdict. Below the sm breakpoint each row becomes a card, so a phone shows every mode
// without scrolling sideways.
import type { Agreement, ComparisonRow } from '@/lib/lab/comparison';
import { SESSION_MODES } from '@/lib/view/modes';
import { HeadCell, MODE_NAMES, ModeHeadCells } from './table-cells';

const MARKS: Record<Agreement, { text: string; className: string }> = {
  agrees: { text: '✓ agrees', className: 'text-emerald-700' },
  disagrees: { text: '✗ disagrees', className: 'text-red-700' },
  'too-close': { text: '≈ too close to call', className: 'text-slate-600' },
  'too-few': { text: 'not enough requests yet', className: 'text-slate-500' },
  unmeasured: { text: 'not measured yet', className: 'text-slate-500' },
};

/** Hybrid's own mark: whether it measured what it promises. */
const HYBRID_MARKS: Record<Agreement, string> = {
  agrees: '✓ as promised',
  disagrees: '✗ not as promised',
  'too-close': '≈ too close to call',
  'too-few': 'not enough requests yet',
  unmeasured: 'not measured yet',
};

/** Where on this page each claim is measured, for the row's "see it" link. */
const MEASURED_IN: Partial<Record<ComparisonRow['key'], [href: string, what: string][]>> = {
  performance: [['#bench', 'the benchmark']],
  scalability: [['#bench', 'the benchmark']],
  revocation: [
    ['#lab', 'the revocation lab'],
    ['/try#stolen-cookie', 'a stolen cookie'],
  ],
  'active-users': [['/try#second-device', 'a second device']],
  size: [['#anatomy', 'token anatomy']],
  decentralisation: [['#verifier', 'the second verifier']],
  infrastructure: [['#drill', 'the outage drill']],
};

const CELL = 'block px-3 py-1 align-top sm:table-cell sm:border-t sm:border-slate-200 sm:py-2';

function Cell({ mode, measured, verdict, verdictLabel }: { mode: string; measured: string | null; verdict: string; verdictLabel: string }) {
  return (
    <td className={CELL}>
      <span className="font-semibold sm:hidden">{mode}: </span>
      <span className="tabular-nums">{measured ?? '—'}</span>
      <div className="text-xs text-slate-500">
        {verdictLabel}: {verdict}
      </div>
    </td>
  );
}

export function ComparisonTable({ rows }: { rows: ComparisonRow[] }) {
  return (
    <div>
      <table className="block w-full border-collapse rounded-lg bg-white text-left text-sm sm:table">
        <caption className="sr-only">The article&apos;s claims against measurements on this server, with hybrid mode beside them</caption>
        <thead className="hidden sm:table-header-group">
          <tr className="bg-slate-100">
            <HeadCell>Claim</HeadCell>
            <ModeHeadCells />
            {/* Wide enough that a verdict reads on one or two lines rather than a narrow column of five. */}
            <HeadCell className="sm:w-40">Verdict</HeadCell>
          </tr>
        </thead>
        <tbody className="block sm:table-row-group">
          {rows.map((row) => (
            <tr key={row.key} data-testid={`row-${row.key}`} className="block border-t border-slate-200 py-2 sm:table-row sm:py-0">
              <th scope="row" className={`${CELL} font-medium`}>
                {row.label}
                <div className="text-xs font-normal text-slate-600">
                  {row.source}
                  {MEASURED_IN[row.key]?.map(([href, what]) => (
                    <span key={href}>
                      {' '}
                      <a href={href}>See it: {what}</a>.
                    </span>
                  ))}
                </div>
              </th>
              {SESSION_MODES.map((mode) => (
                <Cell
                  key={mode}
                  mode={MODE_NAMES[mode]}
                  measured={row.measured[mode]}
                  verdict={row.article[mode]}
                  verdictLabel={mode === 'hybrid' ? 'Promised' : 'Article'}
                />
              ))}
              <td className={`${CELL} font-medium`}>
                <span className={MARKS[row.agreement].className}>{MARKS[row.agreement].text}</span>
                <div data-testid={`row-${row.key}-hybrid`} className={`text-xs font-normal ${MARKS[row.hybridAgreement].className}`}>
                  hybrid: {HYBRID_MARKS[row.hybridAgreement]}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
