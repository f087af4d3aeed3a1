// Rolling per-process record of session checks: how long each took and how many database
// statements it sent, per mode. Fed by the data-access layer on every authenticated request.
import type { SessionMode } from '@/lib/env';

export type CheckSample = { micros: number; queries: number };

const WINDOW = 2000;
const samples: Record<SessionMode, CheckSample[]> = { stateless: [], stateful: [] };

export function recordSessionCheck(mode: SessionMode, sample: CheckSample) {
  const list = samples[mode];
  list.push(sample);
  if (list.length > WINDOW) list.splice(0, list.length - WINDOW);
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export type ModeStats = { count: number; p50: number; p95: number; queriesPer1000: number };

export function getSessionCheckStats(): Record<SessionMode, ModeStats> {
  const summarise = (list: CheckSample[]): ModeStats => {
    const micros = list.map((s) => s.micros).sort((a, b) => a - b);
    const queries = list.reduce((sum, s) => sum + s.queries, 0);
    return { count: list.length, p50: percentile(micros, 50), p95: percentile(micros, 95), queriesPer1000: list.length ? (queries / list.length) * 1000 : NaN };
  };
  return { stateless: summarise(samples.stateless), stateful: summarise(samples.stateful) };
}
