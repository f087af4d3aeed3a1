// The one reading of a cookie (shared by the proxy, pages, actions and route handlers), the
// comparison's performance verdict, which must not judge on too few samples, and the chart's
// points of revocation window against database reads.
import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '@/lib/lab/benchmark';
import { performanceRow } from '@/lib/lab/comparison';
import { MIN_SAMPLES, type ModeStats } from '@/lib/lab/metrics';
import type { LabResult } from '@/lib/lab/revocation-lab';
import { requestsPerAccessToken, revocationCostPoints } from '@/lib/lab/revocation-cost';
import type { StoredRun } from '@/lib/lab/runs';
import { readCookie } from '@/lib/session/03-cookies';

// The unit tests run with COOKIE_SECURE=false, so the cookie is called "session".
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe("readCookie, with the framework's parsed value", () => {
  it('reads the token as sent', () => {
    expect(readCookie(`a=1; session=${TOKEN}`, 'session', TOKEN)).toEqual({ present: true, value: TOKEN });
  });

  it('refuses a value the framework had to decode: this server never issues one', () => {
    const encoded = TOKEN.replace('.', '%2E');
    expect(readCookie(`session=${encoded}`, 'session', decodeURIComponent(encoded))).toEqual({ present: true, value: undefined });
  });

  it('refuses two cookies of the name, and keeps an undecodable one present (so it is cleared)', () => {
    expect(readCookie(`session=${TOKEN}; session=${TOKEN}`, 'session', TOKEN)).toEqual({ present: true, value: undefined });
    expect(readCookie('session=%%%', 'session', undefined)).toEqual({ present: true, value: undefined });
  });

  it('keeps the double quotes of a quoted value, as the framework does: no token this server issued has any', () => {
    expect(readCookie(`session="${TOKEN}"`, 'session', `"${TOKEN}"`)).toEqual({ present: true, value: `"${TOKEN}"` });
  });

  it('uses the cookie a server action just set in this request', () => {
    expect(readCookie('session=old.token.value', 'session', TOKEN)).toEqual({ present: true, value: TOKEN });
    expect(readCookie(null, 'session', TOKEN)).toEqual({ present: true, value: TOKEN });
  });

  it('is absent when no cookie of the name was sent; other names do not count', () => {
    expect(readCookie('sessionx=1; xsession=2', 'session', undefined)).toEqual({ present: false, value: undefined });
    expect(readCookie(undefined, 'session', undefined)).toEqual({ present: false, value: undefined });
  });
});

// The proxy and route handlers read the raw header alone; they must judge every cookie exactly as
// pages do with the framework's parsed value (next/dist/compiled/cookie).
describe('readCookie, from the raw header alone', () => {
  it.each([
    ['the token as sent', `a=1; session=${TOKEN}`, { present: true, value: TOKEN }],
    // RFC 6265 allows quotes; the framework keeps them in the value, so pages refuse it, and so does this.
    ['a token in double quotes', `session="${TOKEN}"`, { present: true, value: `"${TOKEN}"` }],
    ['a value that needs URI-decoding', `session=${TOKEN.replace('.', '%2E')}`, { present: true, value: undefined }],
    ['an undecodable value', 'session=%%%', { present: true, value: undefined }],
    ['two cookies of the name', `session=${TOKEN}; session=${TOKEN}`, { present: true, value: undefined }],
    ['an empty value', 'session=', { present: true, value: undefined }],
    ['only other names', 'sessionx=1; xsession=2; session', { present: false, value: undefined }],
    ['no header', null, { present: false, value: undefined }],
  ] as const)('%s', (_story, header, expected) => {
    expect(readCookie(header, 'session')).toEqual(expected);
  });
});

function stats(count: number, p25: number, p50: number, p75: number): ModeStats {
  return { count, enough: count >= MIN_SAMPLES, p25, p50, p75, p95: p75 * 2, queriesPer1000: 0, housekeepingPer1000: NaN };
}

const NO_HYBRID = stats(0, NaN, NaN, NaN);

describe('the performance row', () => {
  it('does not judge on a handful of noisy requests', () => {
    const row = performanceRow({ stateless: stats(11, 900, 1000, 1100), stateful: stats(11, 100, 200, 300), hybrid: NO_HYBRID }, null);
    expect(row.agreement).toBe('too-few');
    expect(row.hybridAgreement).toBe('too-few');
    expect(row.measured.stateless).toBe(`not enough requests yet (11 of ${MIN_SAMPLES})`);
    expect(row.measured.hybrid).toBe(`not enough requests yet (0 of ${MIN_SAMPLES})`);
  });

  it('judges live traffic with enough samples, and shows the spread with the median', () => {
    const row = performanceRow({ stateless: stats(500, 100, 120, 140), stateful: stats(500, 300, 350, 400), hybrid: NO_HYBRID }, null);
    expect(row.agreement).toBe('agrees');
    expect(row.measured.stateless).toBe('p50 120 µs (middle half 100 µs–140 µs) · p95 280 µs · 500 requests');
  });

  it('calls overlapping spreads too close, and says so when the article is contradicted', () => {
    expect(performanceRow({ stateless: stats(500, 100, 150, 300), stateful: stats(500, 120, 160, 310), hybrid: NO_HYBRID }, null).agreement).toBe('too-close');
    expect(performanceRow({ stateless: stats(500, 400, 450, 500), stateful: stats(500, 100, 150, 200), hybrid: NO_HYBRID }, null).agreement).toBe('disagrees');
  });

  it('judges hybrid against stateful on the same live requests', () => {
    const row = performanceRow({ stateless: stats(500, 100, 120, 140), stateful: stats(500, 300, 350, 400), hybrid: stats(200, 90, 110, 130) }, null);
    expect(row.hybridAgreement).toBe('agrees');
    expect(row.measured.hybrid).toBe('p50 110 µs (middle half 90 µs–130 µs) · p95 260 µs · 200 requests');
  });

  it('never mixes sources: while stateless and stateful wait for requests, a live hybrid is not shown or judged', () => {
    const row = performanceRow({ stateless: stats(50, 100, 120, 140), stateful: stats(500, 300, 350, 400), hybrid: stats(200, 90, 110, 130) }, null);
    expect(row.agreement).toBe('too-few');
    expect(row.hybridAgreement).toBe('too-few');
    expect(row.measured.hybrid).toBe(`200 requests; waiting for stateless and stateful to reach ${MIN_SAMPLES}`);
    expect(row.measured.stateless).toBe(`not enough requests yet (50 of ${MIN_SAMPLES})`);
  });
});

const check = { p25: 4, p50: 5, p75: 6, p95: 9, perSecond: 1000, samples: 100 };
const mode = (queriesPerCheck: number) => ({
  ...check,
  queriesPerCheck,
  checksCounted: 1000,
  cold: check,
  core: check,
  coreQueriesPerCheck: queriesPerCheck * 2,
});

function storedRun<T>(result: T): StoredRun<T> {
  return { id: 'run', kind: 'benchmark', createdAt: new Date(0), database: 'sqlite', machine: 'test', result };
}

const bench = storedRun<BenchmarkResult>({
  version: 3,
  iterations: 100,
  database: 'sqlite',
  modes: { stateless: mode(0), stateful: mode(1), hybrid: mode(0) },
  floors: { hmac: check, lookup: check },
  ironUnseal: check,
  refresh: { refreshes: 20, reads: 40, writes: 60 },
});

describe('the chart of revocation window against database reads', () => {
  it('puts each mode where its window and its reads per 1,000 requests are, hybrid paying its refreshes', () => {
    // The defaults: a 300 s access token renewed 30 s early serves 135 requests at one every 2 s.
    expect(requestsPerAccessToken()).toBe(135);
    const lab = storedRun<LabResult>({
      ttlSeconds: 10,
      intervalMs: 250,
      attempts: 9,
      windowMs: { stateless: 15_100, stateful: 30, hybrid: 304_800 },
      hybridWindowComputed: true,
    });
    const points = revocationCostPoints(bench, lab);
    expect(points.map(({ mode, windowSeconds, readsPer1000 }) => ({ mode, windowSeconds, readsPer1000 }))).toEqual([
      // Stateless: the configured lifetime, not the lab token's 10 s.
      { mode: 'stateless', windowSeconds: 905, readsPer1000: 0 },
      { mode: 'hybrid', windowSeconds: 304.8, readsPer1000: 14.8 },
      { mode: 'stateful', windowSeconds: 0.03, readsPer1000: 1000 },
    ]);
    expect(points[1].windowSource).toContain('computed, not waited for');
  });

  it('leaves hybrid unplotted for a benchmark stored before hybrid mode, and takes windows from the configuration without a lab', () => {
    const old = storedRun<BenchmarkResult>({ ...bench.result, modes: { stateless: mode(0), stateful: mode(1) }, refresh: undefined });
    const points = revocationCostPoints(old, null);
    expect(points.map(({ mode, windowSeconds, readsPer1000 }) => ({ mode, windowSeconds, readsPer1000 }))).toEqual([
      { mode: 'stateless', windowSeconds: 905, readsPer1000: 0 },
      { mode: 'hybrid', windowSeconds: 305, readsPer1000: null },
      { mode: 'stateful', windowSeconds: 0, readsPer1000: 1000 },
    ]);
  });
});
