// A stored `npm run bench` run is JSON: a round that served no request of a kind leaves null
// where a ratio was NaN. The table and /compare must show "–" and "missed" for it, not crash
// (a smoke run did exactly that once, and every later /compare answered 500). Runs stored before
// hybrid mode lack it altogether: '–' again, and no hybrid targets; runs from before the
// ignored-cookie kind lack that. And the benchmark itself
// measures hybrid like the others, on a real database: its check, its refresh, its algorithm.
import { describe, expect, it } from 'vitest';
import { formatBenchTable, judgeTargets, wholeRequestCost, type BenchRun } from '@/lib/lab/bench-report';
import { measureSessionChecks } from '@/lib/lab/benchmark';
import { createTestUser } from './helpers';

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
          version: 3,
          iterations: 100,
          database: 'sqlite',
          modes: {
            stateless: { ...stat, queriesPerCheck: 0, checksCounted: 1000, cold: stat, core: stat, coreQueriesPerCheck: 0 },
            stateful: { ...stat, queriesPerCheck: 1, checksCounted: 1000, cold: stat, core: stat, coreQueriesPerCheck: 2 },
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
  it("puts a whole request's cost beside the check: the anonymous request's server time, each mode's share of its rate, no share for the empty round", () => {
    expect(wholeRequestCost(run.databases[0])).toEqual({
      database: 'SQLite',
      anonymousPerSecond: 400,
      anonymousMicros: 2500,
      modes: [
        { mode: 'stateless', ratio: { median: null, p25: null, p75: null, samples: [] }, extraPercent: null, checkMicros: 5 },
        { mode: 'stateful', ratio: { median: 0.95, p25: 0.95, p75: 0.95, samples: [] }, extraPercent: (1 / 0.95 - 1) * 100, checkMicros: 5 },
      ],
    });
  });

  it('judges that target missed and shows "–" for the ratio', () => {
    const stateless = judgeTargets(run).find((target) => target.name === 'HTTP stateless ÷ anonymous')!;
    expect(stateless).toMatchObject({ measured: '– (–––); noise control –', met: false });
    expect(judgeTargets(run).find((target) => target.name === 'HTTP stateful ÷ anonymous')!.met).toBe(true);
  });

  it('says its kinds of request took turns in a fixed order', () => {
    expect(formatBenchTable(run)).toContain('HTTP: 2 rounds of 2 s at 8 connections, the kind of request changing every 250 ms, always in the same order');
  });

  it('still prints the whole table', () => {
    expect(formatBenchTable(run)).toMatch(/\nanonymous again \(noise control\) +400 \(400–400\) +– \(–––\) +– +–\n/);
  });
});

describe('a stored bench run from before hybrid mode', () => {
  it('shows "–" in every hybrid row and judges no hybrid target', () => {
    const table = formatBenchTable(run);
    expect(table).toMatch(/\nhybrid +– +– +–\n/);
    expect(table).toMatch(/\nsigned in, hybrid +– +– +– +–\n/);
    expect(judgeTargets(run).some((target) => target.name.includes('hybrid'))).toBe(false);
  });
});

describe('a bench run with hybrid mode', () => {
  const database = run.databases[0];
  const withHybrid: BenchRun = {
    ...run,
    databases: [
      {
        ...database,
        checks: {
          ...database.checks,
          modes: { ...database.checks.modes, hybrid: { ...stat, queriesPerCheck: 0, checksCounted: 1000, cold: stat, core: stat, coreQueriesPerCheck: 0 } },
        },
        work: { ...database.work, hybrid: work },
        http: { ...database.http, hybrid: { perSecond: spread(390), ratioToAnonymous: spread(0.97) } },
        serverQueriesPer1000: { ...database.serverQueriesPer1000, hybrid: 0 },
      },
    ],
  };

  it('holds hybrid to the stateless targets: a zero-query check', () => {
    const names = judgeTargets(withHybrid).filter((target) => target.name.includes('hybrid'));
    expect(names.map((target) => [target.name, target.met])).toEqual([
      ['In-process hybrid check ≤ 3 × the HMAC floor', true],
      ['HTTP hybrid ÷ anonymous', true],
      ['Reads per request: 0 hybrid (its refreshes apart)', true],
    ]);
    expect(formatBenchTable(withHybrid)).toContain('signed in, hybrid');
  });
});

describe('a bench run with the ignored-cookie kind', () => {
  const database = run.databases[0];
  const withCookie: BenchRun = {
    ...run,
    settings: { ...run.settings, sliceMs: 1000 / 6, sliceOrder: 'changing' },
    databases: [{ ...database, http: { ...database.http, cookie: { perSecond: spread(391), ratioToAnonymous: spread(0.978) } } }],
  };

  it('states beside each HTTP verdict what a cookie alone costs', () => {
    const stateful = judgeTargets(withCookie).find((target) => target.name === 'HTTP stateful ÷ anonymous')!;
    expect(stateful.measured).toBe('0.950 (0.950–0.950); noise control –; an ignored cookie 0.978');
    expect(formatBenchTable(withCookie)).toContain('anonymous with a cookie the app ignores  391 (391–391)  0.978 (0.978–0.978)');
    expect(formatBenchTable(withCookie)).toContain('the kind of request changing every 167 ms, in an order that changes every second');
  });

  it('shows "–" for it in a run stored before it was measured', () => {
    expect(formatBenchTable(run)).toMatch(/\nanonymous with a cookie the app ignores +– +– +– +–\n/);
    expect(judgeTargets(run).find((target) => target.name === 'HTTP stateful ÷ anonymous')!.measured).not.toContain('cookie');
  });
});

describe('a bench run with the bare-route baseline', () => {
  const database = run.databases[0];
  const withBare: BenchRun = {
    ...run,
    databases: [
      {
        ...database,
        http: {
          ...database.http,
          bare: spread(500),
          anonymous: { ...database.http.anonymous, ratioToBare: spread(0.8) },
          stateful: { ...database.http.stateful, ratioToBare: spread(0.76) },
        },
      },
    ],
  };

  it('judges each kind against the bare route, with both rates beside the ratio, and stateful on its own target', () => {
    const byName = Object.fromEntries(judgeTargets(withBare).map((target) => [target.name, target]));
    expect(byName['HTTP anonymous ÷ a bare Next.js route']).toMatchObject({
      target: '≥ 0.85',
      measured: '0.800 (0.800–0.800); 400 against 500 req/s',
      met: false,
    });
    expect(byName['HTTP stateful ÷ a bare Next.js route']).toMatchObject({ target: '≥ 0.75', met: true });
    expect(formatBenchTable(withBare)).toMatch(/\na bare Next\.js route \(bench\/baseline\) +500 \(500–500\) +1\n/);
  });

  it('judges nothing against it in a run stored before it was measured', () => {
    expect(judgeTargets(run).filter((target) => target.name.includes('bare'))).toEqual([]);
  });
});

describe('the benchmark', () => {
  it('measures hybrid: no query per check, a few statements per refresh, and each algorithm', async () => {
    const user = await createTestUser('Benchmark');
    const result = await measureSessionChecks(user, () => {}, 20);
    expect(result.modes.hybrid).toMatchObject({ queriesPerCheck: 0, checksCounted: 1000 });
    expect(result.modes.stateful.queriesPerCheck).toBe(1);
    // Two reads (the refresh token, the session's row) and the rotation's writes, for each of the 20 sessions.
    expect(result.refresh).toMatchObject({ refreshes: 20, reads: 40 });
    expect(result.refresh!.writes).toBeGreaterThanOrEqual(40);
    expect(result.algorithms!.rows.map((row) => `${row.algorithm} ${row.operation} ${row.via}`)).toEqual([
      'HS256 sign node:crypto',
      'HS256 verify node:crypto',
      'EdDSA sign node:crypto',
      'EdDSA verify node:crypto',
      'HS256 sign jose',
      'HS256 verify jose',
      'EdDSA sign jose',
      'EdDSA verify jose',
    ]);
    expect(result.algorithms!.rows.every((row) => row.stat.samples === 20 && row.stat.p50 > 0)).toBe(true);
  });
});
