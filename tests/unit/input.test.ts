// Hostile input helpers: redirect targets, user agents and forwarding headers.
import { describe, expect, it } from 'vitest';
import { forwardedEntry } from '@/lib/session/03-cookies';
import { safeNextPath } from '@/lib/session/11-dal';
import { describeUserAgent } from '@/lib/view/user-agent';

describe('safeNextPath', () => {
  it.each([
    'https://evil.com',
    '//evil.com',
    '/\\/\\evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    'javascript:alert(1)',
    'data:text/html,x',
    'evil.com?.example.com',
    '/\tevil',
    ' /dashboard',
    '',
    'x'.repeat(600),
  ])('rejects %s', (value) => {
    expect(safeNextPath(value)).toBe('/dashboard');
  });

  it.each([
    ['/devices', '/devices'],
    ['/dashboard?tab=1#x', '/dashboard?tab=1#x'],
    ['/%5C/evil.com', '/%5C/evil.com'],
    ['/..%2F..%2Fevil.com', '/..%2F..%2Fevil.com'],
    ['/a/../devices', '/devices'],
  ])('keeps same-origin path %s', (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  it('ignores non-strings', () => {
    expect(safeNextPath(['/devices'])).toBe('/dashboard');
    expect(safeNextPath(undefined)).toBe('/dashboard');
  });
});

describe('describeUserAgent', () => {
  it('parses browser, version, OS and device type', () => {
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toEqual({
      browser: 'Firefox 128',
      os: 'Windows 10',
      type: 'desktop',
      label: 'Firefox 128 on Windows 10',
    });
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toMatchObject({
      browser: 'Safari 17',
      os: 'iOS 17',
      type: 'mobile',
    });
    expect(
      describeUserAgent('Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1').type,
    ).toBe('tablet');
  });

  it('never throws on junk', () => {
    for (const ua of ['', '   ', '\u0000', '{}', 'x'.repeat(10_000)]) {
      expect(describeUserAgent(ua).label).toBeTypeOf('string');
    }
    expect(describeUserAgent('').label).toBe('Unknown browser on Unknown OS');
  });
});

describe('forwardedEntry: the client address behind TRUST_PROXY hops', () => {
  it.each([
    ['one proxy: the entry it appended, whatever the client put before it', 'spoofed, 198.51.100.4, 203.0.113.9', 1, '203.0.113.9'],
    ['two proxies: the entry the outer one appended', 'spoofed, 203.0.113.9, 10.0.0.2', 2, '203.0.113.9'],
    ['fewer entries than proxies: not vouched for', '203.0.113.9', 2, undefined],
    ['no proxy trusted', '203.0.113.9', 0, undefined],
    ['an empty entry', '203.0.113.9, ', 1, undefined],
    ['no header', null, 1, undefined],
  ] as const)('%s', (_story, header, hops, expected) => {
    expect(forwardedEntry(header, hops)).toBe(expected);
  });
});
