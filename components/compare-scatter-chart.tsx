// A scatter chart in plain SVG, server-rendered like bar-chart.tsx, with the same data as a table
// under it for screen readers and for anyone who prefers numbers. The x axis is linear; the y
// axis is logarithmic (of 1 + y, so that 0 sits on the axis), because the points span three
// orders of magnitude and a linear axis would flatten all but one of them onto it.
import { CHART_COLORS, type Bar } from './bar-chart';
import { ScrollBox } from './scroll-box';

/** `note`: where the point's numbers come from, shown under its label in the table. */
export type ScatterPoint = { label: string; x: number; y: number | null; xDisplay: string; yDisplay: string; tone: Bar['tone']; note?: string };

const WIDTH = 420;
const HEIGHT = 260;
const LEFT = 52;
const RIGHT = 16;
const TOP = 18;
const BOTTOM = 44;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

/** A step of 1, 2 or 5 × 10ⁿ that cuts 0…max into at most five ticks. */
function tickStep(max: number) {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((step) => max / step <= 5) ?? 10 * magnitude;
}

export function ScatterChart({
  id,
  title,
  description,
  points,
  xHeading,
  yHeading,
}: {
  id: string;
  title: string;
  description: string;
  points: ScatterPoint[];
  xHeading: string;
  yHeading: string;
}) {
  const xMax = Math.max(1, ...points.map((p) => p.x)) * 1.08;
  const xStep = tickStep(xMax);
  const xTicks = Array.from({ length: Math.floor(xMax / xStep) + 1 }, (_, i) => i * xStep);
  const yDecades = Math.max(1, Math.ceil(Math.log10(Math.max(1, ...points.map((p) => p.y ?? 0)))));
  const yTicks = [0, ...Array.from({ length: yDecades + 1 }, (_, i) => 10 ** i)];
  const xAt = (x: number) => LEFT + (x / xMax) * PLOT_WIDTH;
  // A tenth of headroom above the top tick, so a point there keeps its label inside the chart.
  const yAt = (y: number) => TOP + PLOT_HEIGHT - (Math.log10(1 + y) / (1.1 * Math.log10(1 + 10 ** yDecades))) * PLOT_HEIGHT;
  return (
    <figure className="flex flex-col gap-2" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="text-sm font-semibold">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="w-full max-w-xl" role="img" aria-labelledby={`${id}-svg-title ${id}-svg-desc`}>
        <title id={`${id}-svg-title`}>{title}</title>
        <desc id={`${id}-svg-desc`}>
          {description} {points.map((p) => `${p.label}: ${p.xDisplay}, ${p.yDisplay}`).join('; ')}.
        </desc>
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={yAt(tick)} y2={yAt(tick)} stroke="#e2e8f0" />
            <text x={LEFT - 10} y={yAt(tick) + 4} fontSize="11" textAnchor="end" fill="#475569">
              {tick.toLocaleString('en')}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={`x${tick}`} x={xAt(tick)} y={TOP + PLOT_HEIGHT + 16} fontSize="11" textAnchor="middle" fill="#475569">
            {tick.toLocaleString('en')}
          </text>
        ))}
        <line x1={LEFT} x2={LEFT} y1={TOP} y2={TOP + PLOT_HEIGHT} stroke="#94a3b8" />
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={TOP + PLOT_HEIGHT} y2={TOP + PLOT_HEIGHT} stroke="#94a3b8" />
        <text x={LEFT + PLOT_WIDTH / 2} y={HEIGHT - 6} fontSize="12" textAnchor="middle" fill="#0f172a">
          {xHeading}
        </text>
        <text x={12} y={TOP + PLOT_HEIGHT / 2} fontSize="12" textAnchor="middle" fill="#0f172a" transform={`rotate(-90 12 ${TOP + PLOT_HEIGHT / 2})`}>
          {yHeading}
        </text>
        {points.every((p) => p.y === null) ? (
          <text x={LEFT + PLOT_WIDTH / 2} y={TOP + PLOT_HEIGHT / 2} fontSize="13" textAnchor="middle" fill="#475569">
            No points yet: run the benchmark to measure the reads.
          </text>
        ) : null}
        {points
          .filter((p) => p.y !== null)
          .map((p) => {
            const cx = xAt(p.x);
            const cy = yAt(p.y!);
            const anchor = cx > LEFT + PLOT_WIDTH * 0.7 ? 'end' : cx < LEFT + PLOT_WIDTH * 0.2 ? 'start' : 'middle';
            return (
              <g key={p.label}>
                <circle cx={cx} cy={cy} r={6} fill={CHART_COLORS[p.tone]} />
                <text x={cx + (anchor === 'start' ? 4 : anchor === 'end' ? -4 : 0)} y={cy - 10} fontSize="12" textAnchor={anchor} fill="#0f172a">
                  {p.label}
                </text>
              </g>
            );
          })}
      </svg>
      {/* A phone is narrower than the table's headings: it scrolls inside its box, not the page. */}
      <ScrollBox label={`${title}, as a table`}>
        <table className="max-w-xl border-collapse text-left text-sm">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr className="bg-slate-100">
              <th scope="col" className="px-2 py-1">
                Mode
              </th>
              <th scope="col" className="px-2 py-1">
                {xHeading}
              </th>
              <th scope="col" className="px-2 py-1">
                {yHeading}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label} data-testid={`${id}-${p.label}`} className="border-t border-slate-200">
                <th scope="row" className="px-2 py-1 align-top font-medium">
                  {p.label}
                  {p.note ? <div className="text-xs font-normal text-slate-500">{p.note}</div> : null}
                </th>
                <td className="px-2 py-1 align-top font-mono text-xs">{p.xDisplay}</td>
                <td className="px-2 py-1 align-top font-mono text-xs">{p.yDisplay}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </figure>
  );
}
