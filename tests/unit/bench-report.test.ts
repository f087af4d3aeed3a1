// A stored `npm run bench` run is JSON: a round that served no request of a kind leaves null
// where a ratio was NaN. The table and /compare must show "–" and "missed" for it, not crash
// (a smoke run did exactly that once, and every later /compare answered 500).
import { describe, expect, it } from 'vitest';
import { formatBenchTable, judgeTargets, type BenchRun } from '@/lib/lab/bench-report';

const stat = { p25: 4, p50: 5, p75: 6, p95: 9, perSecond: 1000, samples: 100 };
const spread = (median: number | null) => ({ median, p25: median, p75: median, samples: [] }) as never;
const work = { requests: 100, devices: 20, reads: 0, writes: 0 };

const run: BenchRun = JSON.parse(
  JSON.stringify({
    createdAt: '2026-11-30T00:00:00.000Z',
    machine: 'test',
    commit: 'abc1234',
    smoke: true,
    settings: { iterations: 100, rounds: 2, roundSeconds: 2, sliceMs: 250, connections: 8, workRequests: 100 },
    databases: [
      {
        database: 'sqlite',
        checks: {
          version: 2,
          iterations: 100,
          database: 'sqlite',
          modes: {
            stateless: { ...stat, queriesPerCheck: 0, cold: stat, library: stat },
            stateful: { ...stat, queriesPerCheck: 1, cold: stat, library: stat },
          },
          floors: { hmac: stat, lookup: stat },
          ironUnseal: stat,
        },
        work: { stateless: work, stateful: { ...work, reads: 100, writes: 20 } },
        http: {
          anonymous: { perSecond: spread(400), ratioToAnonymous: spread(1) },
          control: { perSecond: spread(400), ratioToAnonymous: spread(NaN) },
          stateless: { perSecond: spread(0), ratioToAnonymous: spread(NaN) },
          stateful: { perSecond: spread(380), ratioToAnonymous: spread(0.95) },
        },
        serverQueriesPer1000: { stateless: 0, stateful: 1000 },
      },
    ],
  }),
);

describe('a stored bench run with a round that served nothing of a kind', () => {
  it('judges that target missed and shows "–" for the ratio', () => {
    const stateless = judgeTargets(run).find((target) => target.name === 'HTTP stateless ÷ anonymous')!;
    expect(stateless).toMatchObject({ measured: '– (–––); noise control –', met: false });
    expect(judgeTargets(run).find((target) => target.name === 'HTTP stateful ÷ anonymous')!.met).toBe(true);
  });

  it('still prints the whole table', () => {
    expect(formatBenchTable(run)).toContain('anonymous again (noise control)  400 (400–400)  – (–––)');
  });
});
