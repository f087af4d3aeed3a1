// A horizontal bar chart in plain SVG, with a data table beside it for screen readers and for
// anyone who prefers numbers. Server-rendered. Labels sit above their bars so the text stays
// readable when the chart shrinks to a phone's width.
import type { SessionMode } from '@/lib/session/modes';
export type Bar = { label: string; value: number; display: string; tone: SessionMode | 'floor' | 'other' };

/** Each mode's colour, as the header's mode switch shows it; shared with the scatter chart (compare-scatter-chart.tsx). */
export const CHART_COLORS: Record<Bar['tone'], string> = { stateless: '#b45309', stateful: '#047857', hybrid: '#0369a1', floor: '#64748b', other: '#4f46e5' };

const WIDTH = 420;
const BAR_SPACE = 320;
const ROW = 42;

export function BarChart({
  id,
  title,
  description,
  bars,
  valueHeading,
}: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  valueHeading: string;
}) {
  const max = Math.max(...bars.map((b) => b.value), 1);
  return (
    <figure className="flex flex-col gap-2" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="text-sm font-semibold">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${bars.length * ROW + 4}`} className="w-full max-w-xl" role="img" aria-labelledby={`${id}-svg-title ${id}-svg-desc`}>
        <title id={`${id}-svg-title`}>{title}</title>
        <desc id={`${id}-svg-desc`}>
          {description} {bars.map((b) => `${b.label}: ${b.display}`).join('; ')}.
        </desc>
        {bars.map((bar, i) => {
          const y = i * ROW;
          const width = Math.max(2, (bar.value / max) * BAR_SPACE);
          return (
            <g key={bar.label}>
              <text x={0} y={y + 14} fontSize="13" fill="#0f172a">
                {bar.label}
              </text>
              <rect x={0} y={y + 19} width={width} height={16} rx="3" fill={CHART_COLORS[bar.tone]} />
              <text x={width + 6} y={y + 32} fontSize="13" fill="#0f172a">
                {bar.display}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600">Show as a table</summary>
        <table className="mt-2 border-collapse text-left">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className="border-b px-2 py-1">
                Measurement
              </th>
              <th scope="col" className="border-b px-2 py-1">
                {valueHeading}
              </th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row" className="px-2 py-1 font-normal">
                  {bar.label}
                </th>
                <td className="px-2 py-1 font-mono">{bar.display}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
