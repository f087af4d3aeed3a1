// Anyone can send a bad cookie with every request; the log of refusals must not grow with them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logRejection } from '@/lib/lab/rejection-log';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the log of refused session cookies', () => {
  it('writes the first refusal of a minute at once, and the rest of that minute as one line when it ends', () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const start = Date.now() + 3_600_000;
    logRejection('malformed', start);
    for (let i = 1; i <= 1000; i++) logRejection(i % 10 === 0 ? 'expired' : 'malformed', start + i);
    expect(warn.mock.calls).toEqual([['session rejected: malformed']]);
    vi.advanceTimersByTime(60_000);
    expect(warn.mock.calls).toEqual([['session rejected: malformed'], ['session rejected: 1000 more in the last 60 s (malformed 900, expired 100)']]);
    // The next minute starts afresh.
    logRejection('signature', start + 61_000);
    expect(warn.mock.calls.at(-1)).toEqual(['session rejected: signature']);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('writes nothing more when one refusal comes alone', () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    logRejection('expired', Date.now() + 7_200_000);
    vi.advanceTimersByTime(120_000);
    expect(warn.mock.calls).toEqual([['session rejected: expired']]);
  });
});
