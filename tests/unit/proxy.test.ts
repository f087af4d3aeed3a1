// What the proxy hands the app behind it. A page gets its path and its CSP nonce as request headers; an API request that needs none of them is passed on untouched (copying every
// header, the session cookie among them, cost a signed-in request more than its session check);
// and a client that sends one of those headers itself never gets it through.
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { createSession } from '@/lib/session/10-sessions';
import { PATHNAME_HEADER, sessionCookieName } from '@/lib/session/03-cookies';
import { refreshCookieName, refreshSession } from '@/lib/session/09-hybrid';
import { config, proxy } from '@/proxy';
import { CLIENT, createTestUser } from './helpers';

const ORIGIN = 'http://localhost:3000';
const OVERRIDE = 'x-middleware-override-headers';

/** The request headers the app behind the proxy will see, or null when they pass unchanged. */
function forwardedHeaders(response: Response): Record<string, string> | null {
  const names = response.headers.get(OVERRIDE);
  if (names === null) return null;
  return Object.fromEntries(names.split(',').map((name) => [name, response.headers.get(`x-middleware-request-${name}`) ?? '']));
}

async function signedInCookie() {
  const { token } = await createSession(await createTestUser('Ines'), 'stateless', CLIENT);
  return `${sessionCookieName()}=${token}`;
}

describe('proxy: the request headers the app receives', () => {
  it('passes a signed-in API request on untouched, and answers it no-store', async () => {
    const response = await proxy(new NextRequest(`${ORIGIN}/api/session`, { headers: { cookie: await signedInCookie() } }));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(forwardedHeaders(response)).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('passes an anonymous API request on untouched', async () => {
    const response = await proxy(new NextRequest(`${ORIGIN}/api/session`));
    expect(forwardedHeaders(response)).toBeNull();
  });

  it('strips a page path sent by a client to an API route, and gives the route no nonce: it renders no script', async () => {
    const response = await proxy(new NextRequest(`${ORIGIN}/api/session`, { headers: { [PATHNAME_HEADER]: '//evil.example' } }));
    const forwarded = forwardedHeaders(response);
    expect(forwarded).not.toBeNull();
    expect(forwarded![PATHNAME_HEADER]).toBe('/api/session');
    expect(forwarded!['content-security-policy']).toBeUndefined();
    expect(response.headers.get('content-security-policy')).toBeNull();
  });

  it('runs for an API route only when hybrid may renew: a refresh cookie, under either of its names', () => {
    const [pages, api] = config.matcher as [string, { source: string; has: { type: string; key: string; value: string }[] }];
    expect(pages).toBe('/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)');
    expect(config.matcher).toHaveLength(2);
    expect(api.source).toBe('/api/:path*');
    expect(api.has).toEqual([{ type: 'header', key: 'cookie', value: expect.any(String) }]);
    // As Next.js applies it: anchored, against the whole Cookie header.
    const matches = (cookieHeader: string) => new RegExp(`^${api.has[0].value}$`).test(cookieHeader);
    expect(matches(`${refreshCookieName()}=abc`)).toBe(true);
    expect(matches(`__Host-session=x; __Host-refresh=abc; theme=dark`)).toBe(true);
    expect(matches(`session=x;refresh=abc`)).toBe(true);
    expect(matches(`__Host-session=x`)).toBe(false);
    expect(matches(`myrefresh=abc; __Host-session=x`)).toBe(false);
    expect(matches(`theme=refresh=1`)).toBe(false);
    expect(new RegExp(`^${pages}$`).test('/api/session')).toBe(false);
    expect(new RegExp(`^${pages}$`).test('/dashboard')).toBe(true);
  });

  it('gives a page its path and nonce, and never a path the client sent', async () => {
    const response = await proxy(
      new NextRequest(`${ORIGIN}/dashboard?tab=1`, { headers: { cookie: await signedInCookie(), [PATHNAME_HEADER]: '//evil.example' } }),
    );
    const forwarded = forwardedHeaders(response)!;
    expect(forwarded[PATHNAME_HEADER]).toBe('/dashboard?tab=1');
    const nonce = /'nonce-([\w+/=]+)'/.exec(forwarded['content-security-policy'])?.[1];
    expect(nonce).toBeTruthy();
    expect(response.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
  });
});

describe('proxy: hybrid renewal', () => {
  async function hybridCookies() {
    const { cookies } = await createSession(await createTestUser('Omar'), 'hybrid', CLIENT);
    const refreshToken = cookies!.refresh;
    // No access token at all: the next request that may renew must.
    return { refreshToken, cookie: `${refreshCookieName()}=${refreshToken}` };
  }

  it('renews on a page load, rotating the refresh token', async () => {
    const { cookie, refreshToken } = await hybridCookies();
    const response = await proxy(new NextRequest(`${ORIGIN}/dashboard`, { headers: { cookie } }));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.cookies.get(refreshCookieName())?.value).not.toBe(refreshToken);
    expect(await refreshSession(refreshToken)).toMatchObject({ ok: true, rotated: false });
  });

  it.each([
    ["Next's router", { 'next-router-prefetch': '1', rsc: '1' }],
    ["the browser's own (Sec-Purpose)", { 'sec-purpose': 'prefetch' }],
    ['an older browser (Purpose)', { purpose: 'prefetch' }],
  ])('never renews on a prefetch by %s: it answers 204, sets no cookie and rotates nothing', async (_by, headers) => {
    const { cookie, refreshToken } = await hybridCookies();
    const response = await proxy(new NextRequest(`${ORIGIN}/dashboard`, { headers: { cookie, ...headers } }));
    expect(response.status).toBe(204);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await refreshSession(refreshToken)).toMatchObject({ ok: true, rotated: true });
  });

  it("hands on the page's path without the router's _rsc parameter", async () => {
    const response = await proxy(new NextRequest(`${ORIGIN}/devices?page=2&_rsc=abc`, { headers: { rsc: '1' } }));
    expect(response.headers.get('location')).toBe(`${ORIGIN}/login?next=%2Fdevices%3Fpage%3D2`);
  });
});
