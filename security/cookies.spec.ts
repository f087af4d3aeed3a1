// Hostile session cookies, over HTTP: every one makes the visitor anonymous. The protected endpoint
// answers 401 and clears the cookie, a protected page redirects to login, and nothing answers 5xx.
import { SESSION_COOKIE, expect, loginAs, sessionCookie, test } from '../e2e/fixtures';
import { cookieHeader, encodeJson, expectApiRefusal, expectPageRefusal, TYP } from './support';

const COOKIE = SESSION_COOKIE;
const HEADER = encodeJson({ alg: 'HS256', typ: TYP.stateless });

const MALFORMED: [string, string][] = [
  ['one segment', 'eyJhbGciOiJIUzI1NiJ9'],
  ['two segments', `${HEADER}.${encodeJson({ sub: 'x' })}`],
  ['four segments', `${HEADER}.${encodeJson({ sub: 'x' })}.c2ln.ZXh0cmE`],
  ['bad base64url in the header', `!!!.${encodeJson({ sub: 'x' })}.c2ln`],
  ['bad base64url in the payload', `${HEADER}.@@@@.c2ln`],
  ['a payload that is not JSON', `${HEADER}.${Buffer.from('not json{').toString('base64url')}.c2ln`],
  ['an array payload', `${HEADER}.${encodeJson([1, 2, 3])}.c2ln`],
  ['a number payload', `${HEADER}.${encodeJson(42)}.c2ln`],
  ['a header that is not JSON', `${Buffer.from('{"alg":').toString('base64url')}.${encodeJson({ sub: 'x' })}.c2ln`],
  ['an empty value', ''],
  ['a 5 KB value', `${HEADER}.${'A'.repeat(5 * 1024)}.c2ln`],
];

for (const [name, value] of MALFORMED) {
  test(`a cookie with ${name} is refused: 401 from the API, a redirect from a page`, async ({ request }) => {
    await expectApiRefusal(await request.get('/api/session', { headers: { cookie: cookieHeader(value) } }));
    await expectPageRefusal(await request.get('/dashboard', { headers: { cookie: cookieHeader(value) }, maxRedirects: 0 }), '/dashboard');
    for (const path of ['/', '/login', '/compare']) {
      expect((await request.get(path, { headers: { cookie: cookieHeader(value) }, maxRedirects: 0 })).status(), path).toBe(200);
    }
  });
}

test('a 20 KB cookie is refused by the HTTP server itself with 431', async ({ request }) => {
  const response = await request.get('/api/session', { headers: { cookie: cookieHeader('x'.repeat(20_000)) } });
  expect(response.status()).toBe(431);
});

test('a tampered cookie ends on the login page, cleared', async ({ page, context, account }) => {
  await loginAs(page, account, 'stateless');
  const cookie = (await sessionCookie(context))!;
  const [h, p, s] = cookie.value.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
  await context.addCookies([{ ...cookie, value: forged }]);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard&reason=invalid$/);
  expect(await sessionCookie(context)).toBeUndefined();
});

test('two session cookies at once, even both valid, make the visitor anonymous', async ({ persona, request }) => {
  const page = await persona.signedInPage('stateless');
  const { value } = (await sessionCookie(page.context()))!;
  const both = `${COOKIE}=${value}; ${COOKIE}=${value}`;
  await expectApiRefusal(await request.get('/api/session', { headers: { cookie: both } }));
  await expectPageRefusal(await request.get('/dashboard', { headers: { cookie: both }, maxRedirects: 0 }), '/dashboard');
});

test('a valid token under another spelling of the cookie name is not a session', async ({ persona, request }) => {
  const page = await persona.signedInPage('stateful');
  const { value } = (await sessionCookie(page.context()))!;
  for (const name of [COOKIE.toLowerCase(), COOKIE.toUpperCase(), 'session', 'Session', `${COOKIE} `]) {
    const api = await request.get('/api/session', { headers: { cookie: `${name}=${value}` } });
    expect(api.status(), name).toBe(401);
    expect(await api.json()).toEqual({ error: 'Not signed in', reason: 'invalid' });
    const dashboard = await request.get('/dashboard', { headers: { cookie: `${name}=${value}` }, maxRedirects: 0 });
    expect(dashboard.status(), name).toBe(307);
    expect(dashboard.headers()['location']).toBe('/login?next=%2Fdashboard');
  }
});

test('skipping the proxy with x-middleware-subrequest still gets no page: the data-access layer checks again', async ({ request }) => {
  for (const value of ['middleware', 'proxy', 'middleware:middleware:middleware:middleware:middleware', 'proxy:proxy:proxy:proxy:proxy']) {
    for (const cookie of [undefined, cookieHeader('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')]) {
      const response = await request.get('/dashboard', { headers: { 'x-middleware-subrequest': value, ...(cookie ? { cookie } : {}) }, maxRedirects: 0 });
      expect(response.status(), value).toBe(307);
      expect(response.headers()['location']).toBe(cookie ? '/login?next=%2Fdashboard&reason=invalid' : '/login?next=%2Fdashboard');
      expect(await response.text()).not.toContain('Hello,');
    }
  }
});

test('a valid token in double quotes is read one way everywhere: refused by the API and by pages alike', async ({ persona, request }) => {
  const page = await persona.signedInPage('stateless');
  const { value } = (await sessionCookie(page.context()))!;
  const quoted = cookieHeader(`"${value}"`);
  await expectApiRefusal(await request.get('/api/session', { headers: { cookie: quoted } }));
  await expectPageRefusal(await request.get('/dashboard', { headers: { cookie: quoted }, maxRedirects: 0 }), '/dashboard');
});
