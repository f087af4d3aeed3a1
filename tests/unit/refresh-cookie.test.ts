// The refresh cookie is read by the same strict rules as the session cookie, and the proxy's
// rewrite of the request's Cookie header (after a renewal) replaces exactly one cookie.
import { describe, expect, it } from 'vitest';
import { readRefreshCookieFromHeader, withCookieValue } from '@/lib/session/cookie';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('readRefreshCookieFromHeader', () => {
  it('reads the one refresh cookie among others', () => {
    expect(readRefreshCookieFromHeader(`session=x; refresh=${TOKEN}; prefs=y`)).toEqual({ present: true, token: TOKEN });
  });

  it('treats a missing header, or one without the cookie, as absent', () => {
    expect(readRefreshCookieFromHeader(null)).toEqual({ present: false, token: undefined });
    expect(readRefreshCookieFromHeader('session=x; refreshX=1; xrefresh=2')).toEqual({ present: false, token: undefined });
  });

  it('refuses two of the name instead of picking one, and an empty value', () => {
    expect(readRefreshCookieFromHeader(`refresh=${TOKEN}; refresh=BBBBBBBBBBBBBBBBBBBBBB`)).toEqual({ present: true, token: undefined });
    expect(readRefreshCookieFromHeader('refresh=')).toEqual({ present: true, token: undefined });
  });
});

describe('withCookieValue', () => {
  it('replaces the named cookie and keeps the others', () => {
    expect(withCookieValue('session=old; prefs=y', 'session', 'new')).toBe('prefs=y; session=new');
  });

  it('adds the cookie when the header has none, or no header at all', () => {
    expect(withCookieValue('prefs=y', 'refresh', TOKEN)).toBe(`prefs=y; refresh=${TOKEN}`);
    expect(withCookieValue(null, 'refresh', TOKEN)).toBe(`refresh=${TOKEN}`);
  });

  it('replaces every copy of the name, so the page never sees the old value beside the new', () => {
    expect(withCookieValue('session=a; session=b; x=1', 'session', 'c')).toBe('x=1; session=c');
  });
});
