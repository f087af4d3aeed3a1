// The sentence /compare shows for the latest `npm run bench:scale`: each measure at the large table
// beside its value at the small one, and nothing for a measure the run lacks.
import { describe, expect, it } from 'vitest';
import { describeScale, type ScaleFigure } from '@/lib/lab/scale-report';

const figure = (label: string, unit: ScaleFigure['unit'], small: number | null, large: number | null): ScaleFigure => ({
  label,
  unit,
  small,
  large,
  target: '',
  met: null,
});

describe('the scale run on /compare', () => {
  it('says what each measure costs at a million sessions, beside a thousand', () => {
    const sentence = describeScale({
      commit: 'abc',
      sessions: { small: 1000, large: 1_000_000 },
      figures: [
        figure('stateful check, core path, p50', 'µs', 738.4, 1762.2),
        figure('login without argon2, p50', 'ms', 4.0, 4.06),
        figure('/devices, heavy user, first page, p95', 'ms', 6.38, 12.6),
        figure('purgeSessions, slowest DELETE', 'ms', 3.5, 23.2),
      ],
    });
    expect(sentence).toBe(
      "at 1,000,000 sessions, the stateful check costs 1,762 µs (738 µs at 1,000), a login (argon2 aside) 4.1 ms (4.0 ms at 1,000), the devices page of an account with 1,000 sessions (p95) 13 ms (6.4 ms at 1,000), the clean-up's longest hold on row locks 23 ms (3.5 ms at 1,000)",
    );
  });

  it('leaves out a measure the run has no value for, and says nothing when none is left', () => {
    const sessions = { small: 1000, large: 10_000 };
    expect(
      describeScale({
        commit: 'abc',
        sessions,
        figures: [figure('stateful check, core path, p50', 'µs', 900, null), figure('login without argon2, p50', 'ms', 4, 5)],
      }),
    ).toBe('at 10,000 sessions, a login (argon2 aside) 5.0 ms (4.0 ms at 1,000)');
    expect(describeScale({ commit: 'abc', sessions, figures: [] })).toBeNull();
  });
});
