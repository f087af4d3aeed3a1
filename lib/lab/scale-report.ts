// What /compare shows of the latest `npm run bench:scale` (scripts/bench-scale.ts stores it): each
// measure at a table of 1,000 sessions beside the large table, from the same run.

/** One measure of a scale run: its value on the small table and on the large one. */
export type ScaleFigure = { label: string; unit: 'µs' | 'ms'; small: number | null; large: number | null; target: string; met: boolean | null };

export type ScaleSummary = { commit: string; sessions: { small: number; large: number }; figures: ScaleFigure[] };

const formatValue = (value: number, unit: ScaleFigure['unit']) =>
  unit === 'µs' ? `${Math.round(value).toLocaleString('en')} µs` : `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en')} ms`;

/** "at 1,000,000 sessions, the stateful check costs 762 µs (738 µs at 1,000), …", or null when the run lacks them. */
export function describeScale(summary: ScaleSummary) {
  const find = (label: string) => summary.figures.find((figure) => figure.label === label);
  const pair = (label: string, what: string) => {
    const figure = find(label);
    if (!figure || figure.small === null || figure.large === null) return null;
    return `${what} ${formatValue(figure.large, figure.unit)} (${formatValue(figure.small, figure.unit)} at ${summary.sessions.small.toLocaleString('en')})`;
  };
  const parts = [
    pair('stateful check, core path, p50', 'the stateful check costs'),
    pair('login without argon2, p50', 'a login (argon2 aside)'),
    pair('/devices, heavy user, first page, p95', 'the devices page of an account with 1,000 sessions (p95)'),
    pair('purgeSessions, slowest DELETE', "the clean-up's longest hold on row locks"),
  ].filter(Boolean);
  return parts.length ? `at ${summary.sessions.large.toLocaleString('en')} sessions, ${parts.join(', ')}` : null;
}
