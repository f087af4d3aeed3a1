// Hybrid's refresh cookie is read by the same strict rules as the session cookie: one of the name,
// exactly as issued.
import { describe, expect, it } from 'vitest';
import { readCookie } from '@/lib/session/03-cookies';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';

describe('reading the refresh cookie', () => {
  it('reads the one refresh cookie among others', () => {
    expect(readCookie(`session=x; refresh=${TOKEN}; prefs=y`, 'refresh')).toEqual({ present: true, value: TOKEN });
  });

  it('treats a missing header, or one without the cookie, as absent', () => {
    expect(readCookie(null, 'refresh')).toEqual({ present: false, value: undefined });
    expect(readCookie('session=x; refreshX=1; xrefresh=2', 'refresh')).toEqual({ present: false, value: undefined });
  });

  it('refuses two of the name instead of picking one, and an empty value', () => {
    expect(readCookie(`refresh=${TOKEN}; refresh=CCCCCCCCCCCCCCCCCCCCCC.DDDDDDDDDDDDDDDDDDDDDD`, 'refresh')).toEqual({ present: true, value: undefined });
    expect(readCookie('refresh=', 'refresh')).toEqual({ present: true, value: undefined });
  });
});
