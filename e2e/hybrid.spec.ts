// Hybrid mode, as a learner meets it, on the short-lived server (an 8-second access token renewed
// 2 s before its exp): the access token renews itself with no flash of the login page, two tabs
// refreshing at once both stay signed in, a renewal whose response is lost costs nothing, a stolen
// refresh token replayed after its successor was used signs the whole session out, and a key
// rotation signs nobody out.
import type { BrowserContext, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { CLOCK_TOLERANCE_SECONDS, PORTS, SHORT_HYBRID } from '../playwright.config';
import { DashboardPage } from './pages/dashboard-page';
import { DevicesPage } from './pages/devices-page';
import { LoginPage } from './pages/login-page';
import { SettingsPage } from './pages/settings-page';
import { USER_AGENTS, expect, loginAs, openDevice, refreshCookie, sessionCookie, test } from './fixtures';

const BASE = `http://localhost:${PORTS.shortLived}`;
test.use({ baseURL: BASE });

/** POST /api/session/refresh from this browser, as its own page script would. */
async function refreshFrom(context: BrowserContext) {
  const response = await context.request.post(`${BASE}/api/session/refresh`, { headers: { Origin: BASE } });
  return { status: response.status(), body: (await response.json()) as { reason?: string; rotated?: boolean } };
}

/** Moves the mouse over the page: the dashboard renews its token only for someone using it. */
async function use(page: Page) {
  await page.mouse.move(40 + Math.random() * 40, 40);
  await page.mouse.move(60, 60 + Math.random() * 40);
}

/** Waits until the page's access token is due for renewal (its exp less the leeway, plus a margin). */
async function waitUntilDue(page: Page) {
  const { exp } = await new DashboardPage(page).payload();
  const dueInMs = (exp - SHORT_HYBRID.leewaySeconds) * 1000 - Date.now() + 500;
  if (dueInMs > 0) await page.waitForTimeout(dueInMs);
}

test('the access token renews itself while the dashboard is open, and each renewal rotates the refresh token', async ({ page, context, account }) => {
  await loginAs(page, account, 'hybrid');
  const dashboard = new DashboardPage(page);
  const first = await dashboard.payload();
  expect(await dashboard.header()).toEqual({ alg: 'EdDSA', typ: 'session-hybrid+jwt', kid: expect.stringMatching(/^[\w-]{22}$/) });
  expect(first.exp - first.iat).toBe(SHORT_HYBRID.accessTtlSeconds);
  const session = await sessionCookie(context);
  const refresh = await refreshCookie(context);
  // The refresh token: HttpOnly, Secure, __Host- (so Path=/), as long-lived as the session, never in the page.
  expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  expect(Math.round(refresh!.expires)).toBe(Math.round(session!.expires));
  expect(await page.content()).not.toContain(refresh!.value);

  // The page, in use, reloads its data when the token comes due; the proxy renews it on that request.
  await use(page);
  await expect.poll(async () => (await dashboard.payload()).jti, { timeout: 20_000 }).not.toBe(first.jti);
  await expect(page).toHaveURL(`${BASE}/dashboard`);
  expect((await refreshCookie(context))!.value).not.toBe(refresh!.value);

  await dashboard.refreshNow();
  await expect.poll(async () => (await refreshCookie(context))!.value).not.toBe(refresh!.value);
});

test('two tabs refreshing at the same moment both stay signed in', async ({ page, context, account }) => {
  await loginAs(page, account, 'hybrid');
  const second = await context.newPage();
  await second.goto('/dashboard');
  const before = (await refreshCookie(context))!.value;

  // Both tabs load once the access token is due: both send the same refresh token to the proxy.
  await waitUntilDue(page);
  await Promise.all([page.reload(), second.reload()]);
  for (const tab of [page, second]) {
    await new DashboardPage(tab).expectSignedIn(account.name, 'hybrid');
    await expect(tab).toHaveURL(`${BASE}/dashboard`);
  }
  // And both exchange it explicitly at once: one rotates, the other gets the same successor.
  const answers = await Promise.all([second, page].map((tab) => tab.evaluate(() => fetch('/api/session/refresh', { method: 'POST' }).then((r) => r.status))));
  expect(answers).toEqual([200, 200]);
  expect((await refreshCookie(context))!.value).not.toBe(before);
  // Nobody was signed out: the session refreshes again and is listed as signed in.
  expect(await refreshFrom(context)).toMatchObject({ status: 200, body: { rotated: true } });
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(devices.thisDevice()).toContainText('Signed in');
});

test('a renewal whose response never arrived costs nothing: the old refresh token still works much later', async ({ page, context, account, request }) => {
  await loginAs(page, account, 'hybrid');
  const before = (await refreshCookie(context))!.value;
  // The browser's refresh reaches the server, which rotates; the answer never comes back to it.
  const cookie = (await context.cookies()).map(({ name, value }) => `${name}=${value}`).join('; ');
  const lost = await request.post(`${BASE}/api/session/refresh`, { headers: { cookie, Origin: BASE } });
  expect(await lost.json()).toMatchObject({ rotated: true });
  expect((await refreshCookie(context))!.value).toBe(before);
  // Long after any grace a timer would allow, the old token is the predecessor of an unused successor.
  await page.waitForTimeout((SHORT_HYBRID.accessTtlSeconds + 2) * 1000);
  await page.goto('/dashboard');
  await new DashboardPage(page).expectSignedIn(account.name, 'hybrid');
  await expect(page).toHaveURL(`${BASE}/dashboard`);
  expect((await refreshCookie(context))!.value).not.toBe(before);
  expect(await refreshFrom(context)).toMatchObject({ status: 200, body: { rotated: true } });
});

test('a refresh token replayed after its successor was used signs the family out on both devices', async ({ page, context, browser, account }) => {
  await loginAs(page, account, 'hybrid');
  await use(page);
  // A thief copies the browser's cookies…
  const thief = await browser.newContext({ baseURL: BASE, userAgent: USER_AGENTS.firefoxWindows });
  await thief.addCookies(await context.cookies());
  // …and the owner's browser refreshes twice: the copy's successor has now been used.
  expect(await refreshFrom(context)).toMatchObject({ status: 200, body: { rotated: true } });
  expect(await refreshFrom(context)).toMatchObject({ status: 200, body: { rotated: true } });

  expect(await refreshFrom(thief)).toEqual({ status: 401, body: { error: 'This session can no longer be refreshed.', reason: 'refresh-reused' } });
  await thief.close();

  // The owner's devices page, from another browser, names what happened.
  const laptop = await openDevice(browser, BASE, USER_AGENTS.safariIphone);
  await loginAs(laptop, account, 'stateful');
  const devices = new DevicesPage(laptop);
  await devices.goto();
  await expect(laptop.getByText('Signed out: refresh token reused').first()).toBeVisible();
  await laptop.context().close();

  // The owner's open dashboard renews its token when it comes due; the renewal is refused, and the
  // browser lands on the login page, which says why. A fresh page load says the same and clears the cookies.
  const signedOut = `${BASE}/login?next=%2Fdashboard&reason=refresh-reused`;
  await use(page);
  await expect(page).toHaveURL(signedOut, { timeout: 20_000 });
  await expect(new LoginPage(page).notice()).toHaveText(
    'This session was signed out because its refresh token was used twice, a sign it may have been copied. Please log in again.',
  );
  await page.goto('/dashboard');
  await expect(page).toHaveURL(signedOut);
  expect(await refreshCookie(context)).toBeUndefined();
});

test('a device signed out elsewhere is sent to log in, with the reason, within one access-token lifetime', async ({ page, secondDevice, account }) => {
  await loginAs(page, account, 'hybrid');
  await loginAs(secondDevice, account, 'hybrid');
  await use(secondDevice);
  const signedOutAt = Date.now();
  const devices = new DevicesPage(page);
  await devices.goto();
  await devices.signOut(/Firefox 128 on Windows 10/);
  await expect(page.getByText(/^Signed out\. That device’s refresh token is refused from now on/)).toBeVisible();

  // Nobody reloads the other device: its dashboard, in use, renews when its token comes due, and that renewal is refused.
  await use(secondDevice);
  await expect(secondDevice).toHaveURL(`${BASE}/login?next=%2Fdashboard&reason=signed-out-elsewhere`, { timeout: 20_000 });
  expect(Date.now() - signedOutAt).toBeLessThan((SHORT_HYBRID.accessTtlSeconds + 5) * 1000);
  await expect(new LoginPage(secondDevice).notice()).toHaveText('You were signed out from another device.');
});

test('a form submitted when the access token is due keeps the renewed cookies, and the session lives on', async ({ page, context, account }) => {
  await loginAs(page, account, 'hybrid');
  const { exp } = await new DashboardPage(page).payload();
  const settings = new SettingsPage(page);
  await settings.goto();
  const before = (await refreshCookie(context))!.value;
  await page.waitForTimeout(Math.max(0, (exp - SHORT_HYBRID.leewaySeconds) * 1000 - Date.now() + 500));
  // A server action that sets no cookie of its own: the proxy renews the token on its request.
  await settings.changePassword('not-the-password', 'a-new-long-password');
  await expect(page.getByText('Your current password is not correct')).toBeVisible();
  await expect.poll(async () => (await refreshCookie(context))!.value).not.toBe(before);
  // Had the browser kept the rotated-away token, its second refresh from now would sign it out.
  expect(await refreshFrom(context)).toMatchObject({ status: 200, body: { rotated: true } });
  expect(await refreshFrom(context)).toMatchObject({ status: 200, body: { rotated: true } });
});

test('a key rotation signs nobody out: old tokens still verify, renewed ones verify too', async ({ page, context, account }) => {
  await loginAs(page, account, 'hybrid');
  const dashboard = new DashboardPage(page);
  const { kid } = await dashboard.header();
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', '--conditions=react-server', 'scripts/rotate-keys.ts'], {
    env: { ...process.env, DATABASE_URL: 'file:./data/e2e-short.db', SIGNING_KEY_PUBLISH_LEAD_SECONDS: '0', NODE_ENV: 'production' },
  });
  const jwks = (await (await context.request.get(`${BASE}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  expect(jwks.keys.map((key) => key.kid)).toContain(kid);

  await page.reload();
  await dashboard.expectSignedIn(account.name, 'hybrid');
  expect(await refreshFrom(context)).toMatchObject({ status: 200 });
  await page.reload();
  await dashboard.expectSignedIn(account.name, 'hybrid');
});

test('an API call whose access token is due is renewed in front of the route, as a page load is; without the refresh cookie it is refused as expired', async ({
  page,
  context,
  account,
  request,
}) => {
  await loginAs(page, account, 'hybrid');
  const before = (await sessionCookie(context))!.value;
  await waitUntilDue(page);
  await page.waitForTimeout((SHORT_HYBRID.leewaySeconds + CLOCK_TOLERANCE_SECONDS + 1) * 1000);
  // The access token has expired, clock tolerance included. Sent alone, the API refuses it: the proxy does not run for an
  // API request that carries no refresh cookie.
  // (The request fixture is a cookie jar of its own: it sends only the cookie given.)
  const alone = await request.get(`${BASE}/api/session`, { headers: { cookie: `${(await sessionCookie(context))!.name}=${before}` } });
  expect(alone.status()).toBe(401);
  expect(await alone.json()).toMatchObject({ reason: 'expired' });
  // With the refresh cookie, as the browser sends it, the proxy renews first and the route reads the new token.
  const renewed = await context.request.get(`${BASE}/api/session`);
  expect(renewed.status()).toBe(200);
  expect(await renewed.json()).toMatchObject({ mode: 'hybrid', user: { name: account.name } });
  expect((await sessionCookie(context))!.value).not.toBe(before);
});
