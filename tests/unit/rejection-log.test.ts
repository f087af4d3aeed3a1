// Anyone can send a bad cookie with every request; the log of refusals must not grow with them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRejectionLog } from '@/lib/session/rejection-log';

afterEach(() => {
  vi.useRealTimers();
});

describe('the log of refused session cookies', () => {
  it('writes the first refusal of a minute at once, and the rest of that minute as one line when it ends', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = createRejectionLog((line) => lines.push(line));
    const start = Date.now();
    log('malformed', start);
    for (let i = 1; i <= 1000; i++) log(i % 10 === 0 ? 'expired' : 'malformed', start + i);
    expect(lines).toEqual(['session rejected: malformed']);
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual(['session rejected: malformed', 'session rejected: 1000 more in the last 60 s (malformed 900, expired 100)']);
    // The next minute starts afresh.
    log('signature', start + 61_000);
    expect(lines.at(-1)).toBe('session rejected: signature');
    expect(lines).toHaveLength(3);
  });

  it('writes nothing more when one refusal comes alone', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = createRejectionLog((line) => lines.push(line));
    log('expired');
    vi.advanceTimersByTime(120_000);
    expect(lines).toEqual(['session rejected: expired']);
  });
});
