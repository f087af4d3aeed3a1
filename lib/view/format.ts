// Small display helpers shared by pages.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "2 minutes ago", "in 3 hours", "now". */
export function formatRelative(date: Date, now = new Date()) {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 10) return 'just now';
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? UNITS[UNITS.length - 1];
  return relative.format(Math.trunc(seconds / size), unit);
}

export function formatDateTime(date: Date) {
  return date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** "30 minutes", "7 days", "1 hour": for configured lifetimes. */
export function formatDuration(seconds: number) {
  const [unit, size] = UNITS.find(([, s]) => seconds >= s && seconds % s === 0) ?? UNITS.find(([, s]) => seconds >= s) ?? UNITS[UNITS.length - 1];
  const value = Math.round((seconds / size) * 10) / 10;
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}
