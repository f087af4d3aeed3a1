// Hostile cookies never crash the app: the visitor becomes anonymous and the cookie is cleared.
import { SESSION_COOKIE, expect, loginAs, test } from './fixtures';

const COOKIE = SESSION_COOKIE;

test('a tampered cookie ends on the login page, cleared', async ({ page, context, account }) => {
  await loginAs(page, account, 'stateless');
  const cookie = (await context.cookies()).find((c) => c.name === COOKIE)!;
  const [h, p, s] = cookie.value.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
  await context.addCookies([{ ...cookie, value: forged }]);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
  expect((await context.cookies()).find((c) => c.name === COOKIE)).toBeUndefined();
});

test('garbage cookies give an anonymous visitor, never a 500', async ({ request, baseURL }) => {
  const values = ['', 'a', 'a.b', 'a.b.c.d', 'eyJhbGciOiJub25lIn0.e30.', '%%%', 'x'.repeat(5000)];
  for (const value of values) {
    for (const path of ['/', '/dashboard', '/login']) {
      const response = await request.get(`${baseURL}${path}`, { headers: { cookie: `${COOKIE}=${value}` }, maxRedirects: 0 });
      expect(response.status(), `${path} with ${value.slice(0, 20)}`).toBeLessThan(500);
      if (path === '/dashboard') expect(response.status()).toBe(307);
    }
  }
  const huge = await request.get(`${baseURL}/`, { headers: { cookie: `${COOKIE}=${'x'.repeat(20_000)}` }, maxRedirects: 0 });
  expect(huge.status()).toBe(431);
});

test('two session cookies at once make the visitor anonymous', async ({ page, context, account, request, baseURL }) => {
  await loginAs(page, account, 'stateless');
  const cookie = (await context.cookies()).find((c) => c.name === COOKIE)!;
  const response = await request.get(`${baseURL}/dashboard`, { headers: { cookie: `${COOKIE}=${cookie.value}; ${COOKIE}=${cookie.value}` }, maxRedirects: 0 });
  expect(response.status()).toBe(307);
});

test('skipping the proxy with x-middleware-subrequest still gets no page: the data-access layer checks again', async ({ request, baseURL }) => {
  for (const value of ['middleware', 'proxy', 'middleware:middleware:middleware:middleware:middleware', 'proxy:proxy:proxy:proxy:proxy']) {
    for (const cookie of [undefined, `${COOKIE}=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.`]) {
      const response = await request.get(`${baseURL}/dashboard`, {
        headers: { 'x-middleware-subrequest': value, ...(cookie ? { cookie } : {}) },
        maxRedirects: 0,
      });
      expect(response.status(), value).toBeGreaterThanOrEqual(300);
      expect(response.status(), value).toBeLessThan(400);
      expect(response.headers()['location']).toMatch(/\/(login|session\/clear)\?/);
      expect(await response.text()).not.toContain('Hello,');
    }
  }
});
