// The dashboard's and the devices page's countdowns: what a learner reads as a token's time left.
import { describe, expect, it } from 'vitest';
import { formatRemaining } from '@/components/countdown';

describe('the countdown of a token or a session', () => {
  it('reads minutes and seconds for a hybrid access token', () => {
    expect(formatRemaining(5 * 60)).toBe('05:00');
    expect(formatRemaining(59)).toBe('00:59');
  });

  it('reads hours for a stateless token of a few hours', () => {
    expect(formatRemaining(2 * 3600 + 61)).toBe('2:01:01');
  });

  it('reads days for a stateful session of seven days, not 168 hours', () => {
    expect(formatRemaining(7 * 86_400)).toBe('7 days 0:00:00');
    expect(formatRemaining(7 * 86_400 - 1)).toBe('6 days 23:59:59');
    expect(formatRemaining(86_400 + 3600)).toBe('1 day 1:00:00');
  });

  it('says expired once the time is up, never a negative time', () => {
    expect(formatRemaining(0)).toBe('expired');
    expect(formatRemaining(-30)).toBe('expired');
  });
});
