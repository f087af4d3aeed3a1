// The bench's order of slices: every second sends each kind once, every kind takes every place
// equally often, and no kind always follows the same one; and what a sliced run reports per kind.
import { describe, expect, it } from 'vitest';
import { sliceSchedule } from '@/lib/lab/slice-schedule';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = 6;
const SECONDS = 120;

describe('the order of a bench run’s slices', () => {
  for (const seed of [1, 2, 3]) {
    const kindOf = sliceSchedule(KINDS, SECONDS, seeded(seed));
    const second = (s: number) => Array.from({ length: KINDS }, (_, place) => kindOf(s * KINDS + place));

    it(`sends each kind once a second (seed ${seed})`, () => {
      for (let s = 0; s < SECONDS; s++) expect([...second(s)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it(`puts each kind in every place once per block of ${KINDS} seconds (seed ${seed})`, () => {
      for (let block = 0; block < SECONDS / KINDS; block++) {
        for (let place = 0; place < KINDS; place++) {
          const kinds = Array.from({ length: KINDS }, (_, s) => second(block * KINDS + s)[place]);
          expect(kinds.sort()).toEqual([0, 1, 2, 3, 4, 5]);
        }
      }
    });

    it(`lets the first kind follow more than one other kind (seed ${seed})`, () => {
      const before = new Set<number>();
      for (let slice = 1; slice < SECONDS * KINDS; slice++) if (kindOf(slice) === 0) before.add(kindOf(slice - 1));
      expect(before.size).toBeGreaterThan(1);
    });
  }

  it('keeps the last second’s order for requests sent after the run’s end', () => {
    const kindOf = sliceSchedule(KINDS, 2, seeded(4));
    expect(kindOf(2 * KINDS + 3)).toBe(kindOf(KINDS + 3));
  });
});

describe('summariseRounds: what a sliced run reports per kind', () => {
  it('gives each kind its req/s over the rounds and its ratio to the first kind, round by round', async () => {
    const { summariseRounds } = await import('@/lib/lab/http-load');
    const kinds = [
      { kind: 'anonymous', cookie: null, status: 401 },
      { kind: 'stateful', cookie: 'session=x', status: 200 },
    ];
    // Rounds of [anonymous, stateful] req/s; the third round served no anonymous request and has no ratio.
    const summary = summariseRounds(kinds, [
      [1000, 900],
      [1200, 960],
      [0, 500],
    ]);
    expect(summary.anonymous.perSecond).toEqual({ median: 1000, p25: 500, p75: 1100, samples: [1000, 1200, 0] });
    expect(summary.stateful.ratioToAnonymous.samples).toEqual([0.9, 0.8]);
    expect(summary.stateful.ratioToAnonymous.median).toBeCloseTo(0.85, 10);
    expect(summary.anonymous.ratioToAnonymous.samples).toEqual([1, 1]);
  });
});
