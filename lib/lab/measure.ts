import 'server-only';
// Timing many calls of one function: the benchmark's checks and floors and the algorithm costs
// share it, so every number on /compare is a distribution measured the same way.
import { percentile } from '@/lib/lab/metrics';

export type Stat = { p25?: number; p50: number; p75?: number; p95: number; perSecond: number; samples: number; queriesPerCheck?: number };

const YIELD_EVERY = 100;

/** Times `iterations` calls of fn, yielding to the event loop now and then so the server stays responsive. */
export async function measure(iterations: number, fn: (i: number) => unknown, onTick: (done: number) => void) {
  const micros: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    micros.push((performance.now() - t) * 1000);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) {
      onTick(i + 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  micros.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p25: round(percentile(micros, 25)),
    p50: round(percentile(micros, 50)),
    p75: round(percentile(micros, 75)),
    p95: round(percentile(micros, 95)),
    perSecond: Math.round(iterations / elapsed),
    samples: iterations,
  };
}
