// The one reading of the session cookie (shared by the proxy and the data-access layer), and the
// comparison's performance verdict, which must not judge on too few samples.
import { describe, expect, it } from 'vitest';
import { performanceRow } from '@/lib/lab/comparison';
import { MIN_SAMPLES, type ModeStats } from '@/lib/lab/metrics';
import { readSessionCookie, readSessionCookieFromHeader } from '@/lib/session/cookie';

// The unit tests run with COOKIE_SECURE=false, so the cookie is called "session".
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('readSessionCookie', () => {
  it('reads the token as sent', () => {
    expect(readSessionCookie(`a=1; session=${TOKEN}`, TOKEN)).toEqual({ present: true, token: TOKEN });
  });

  it('refuses a value the framework had to decode: this server never issues one', () => {
    const encoded = TOKEN.replace('.', '%2E');
    expect(readSessionCookie(`session=${encoded}`, decodeURIComponent(encoded))).toEqual({ present: true, token: undefined });
  });

  it('refuses two cookies of the name, and keeps an undecodable one present (so it is cleared)', () => {
    expect(readSessionCookie(`session=${TOKEN}; session=${TOKEN}`, TOKEN)).toEqual({ present: true, token: undefined });
    expect(readSessionCookie('session=%%%', undefined)).toEqual({ present: true, token: undefined });
  });

  it('uses the cookie a server action just set in this request', () => {
    expect(readSessionCookie('session=old.token.value', TOKEN)).toEqual({ present: true, token: TOKEN });
    expect(readSessionCookie(null, TOKEN)).toEqual({ present: true, token: TOKEN });
  });

  it('is absent when no cookie of the name was sent; other names do not count', () => {
    expect(readSessionCookie('sessionx=1; xsession=2', undefined)).toEqual({ present: false, token: undefined });
    expect(readSessionCookie(undefined, undefined)).toEqual({ present: false, token: undefined });
  });
});

// The proxy and route handlers read the raw header alone; they must judge every cookie exactly as
// readSessionCookie does with the framework's parsed value (next/dist/compiled/cookie).
describe('readSessionCookieFromHeader', () => {
  it.each([
    ['the token as sent', `a=1; session=${TOKEN}`, { present: true, token: TOKEN }],
    ['a token in double quotes (RFC 6265 allows them)', `session="${TOKEN}"`, { present: true, token: TOKEN }],
    ['a value that needs URI-decoding', `session=${TOKEN.replace('.', '%2E')}`, { present: true, token: undefined }],
    ['an undecodable value', 'session=%%%', { present: true, token: undefined }],
    ['two cookies of the name', `session=${TOKEN}; session=${TOKEN}`, { present: true, token: undefined }],
    ['an empty value', 'session=', { present: true, token: undefined }],
    ['only other names', 'sessionx=1; xsession=2; session', { present: false, token: undefined }],
    ['no header', null, { present: false, token: undefined }],
  ] as const)('%s', (_story, header, expected) => {
    expect(readSessionCookieFromHeader(header)).toEqual(expected);
  });
});

function stats(count: number, p25: number, p50: number, p75: number): ModeStats {
  return { count, enough: count >= MIN_SAMPLES, p25, p50, p75, p95: p75 * 2, queriesPer1000: 0, housekeepingPer1000: NaN };
}

describe('the performance row', () => {
  it('does not judge on a handful of noisy requests', () => {
    const row = performanceRow({ stateless: stats(11, 900, 1000, 1100), stateful: stats(11, 100, 200, 300) }, null);
    expect(row.agreement).toBe('too-few');
    expect(row.measured.stateless).toBe(`not enough requests yet (11 of ${MIN_SAMPLES})`);
  });

  it('judges live traffic with enough samples, and shows the spread with the median', () => {
    const row = performanceRow({ stateless: stats(500, 100, 120, 140), stateful: stats(500, 300, 350, 400) }, null);
    expect(row.agreement).toBe('agrees');
    expect(row.measured.stateless).toBe('p50 120 µs (middle half 100 µs–140 µs) · p95 280 µs · 500 requests');
  });

  it('calls overlapping spreads too close, and says so when the article is contradicted', () => {
    expect(performanceRow({ stateless: stats(500, 100, 150, 300), stateful: stats(500, 120, 160, 310) }, null).agreement).toBe('too-close');
    expect(performanceRow({ stateless: stats(500, 400, 450, 500), stateful: stats(500, 100, 150, 200) }, null).agreement).toBe('disagrees');
  });
});
