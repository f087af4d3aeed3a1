// Rolling per-process record of session checks: how long each took and how many database
// statements it sent, per mode. Fed by the lab's session observer (observe.ts) on every authenticated request.
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { processSingleton } from '@/lib/process-state';

export type CheckSample = { micros: number; queries: number };

const WINDOW = 2000;

function perMode<T>(make: (mode: SessionMode) => T) {
  return Object.fromEntries(SESSION_MODES.map((mode) => [mode, make(mode)])) as Record<SessionMode, T>;
}

// Hybrid's refreshes happen in proxy.ts, before any check, where no observer sees them: its live
// numbers are its checks only. The benchmark counts what one refresh costs (benchmark.ts).
const { samples, housekeeping, checksSinceStart } = processSingleton('metrics', () => ({
  samples: perMode((): CheckSample[] => []),
  /** Writes that keep sessions alive ("last active"), outside the check itself, since process start. */
  housekeeping: perMode(() => 0),
  checksSinceStart: perMode(() => 0),
}));

export function recordHousekeepingQueries(mode: SessionMode, queries: number) {
  housekeeping[mode] += queries;
}

export function recordSessionCheck(mode: SessionMode, sample: CheckSample) {
  checksSinceStart[mode] += 1;
  // A ring: the oldest sample is overwritten in place, so a request never shifts the whole window.
  const list = samples[mode];
  if (list.length < WINDOW) list.push(sample);
  else list[(checksSinceStart[mode] - 1) % WINDOW] = sample;
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * Fewer checks than this and a median says little: the first requests after start include JIT
 * warm-up and cold caches, and a single slow one moves a small sample's median. Below it, pages
 * show "not enough requests yet" or fall back to the benchmark, and never judge the article.
 */
export const MIN_SAMPLES = 100;

export type ModeStats = {
  /** Checks in the rolling window. */
  count: number;
  /** Whether count reaches MIN_SAMPLES. */
  enough: boolean;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  /** Statements sent by the checks themselves, per 1,000 checks. */
  queriesPer1000: number;
  /** The same plus "last active" writes, per 1,000 checks since the process started. */
  housekeepingPer1000: number;
};

export function getSessionCheckStats(): Record<SessionMode, ModeStats> {
  const summarise = (mode: SessionMode): ModeStats => {
    const list = samples[mode];
    const micros = list.map((s) => s.micros).sort((a, b) => a - b);
    const queries = list.reduce((sum, s) => sum + s.queries, 0);
    return {
      count: list.length,
      enough: list.length >= MIN_SAMPLES,
      p25: percentile(micros, 25),
      p50: percentile(micros, 50),
      p75: percentile(micros, 75),
      p95: percentile(micros, 95),
      queriesPer1000: list.length ? (queries / list.length) * 1000 : NaN,
      housekeepingPer1000: checksSinceStart[mode] ? (housekeeping[mode] / checksSinceStart[mode]) * 1000 : NaN,
    };
  };
  return perMode(summarise);
}
