// The session code on plain `next start` (no server.mjs), as a serverless platform runs it, and on
// its own path (SESSION_FAST_PATH=0: jose, Prisma): logging in, every mode, the mode switch, a
// sign-out from another device and logging out all work; only what the custom server adds is
// missing (the socket address, Server-Timing), and its headers cannot be forged from outside.
import { PORTS } from '../playwright.config';
import { DashboardPage } from './pages/dashboard-page';
import { DevicesPage } from './pages/devices-page';
import { LoginPage } from './pages/login-page';
import { SiteHeader } from './pages/site-header';
import { CORE_CHECK_QUERIES, MODES, expect, loginAs, test } from './fixtures';

test.use({ baseURL: `http://localhost:${PORTS.nextStart}` });

for (const mode of MODES) {
  test(`${mode}: logs in, switches mode, is signed out from another device and logs out`, async ({ page, secondDevice, account, baseURL }) => {
    await loginAs(page, account, mode);
    const response = await page.goto('/dashboard');
    expect(response!.headers()['server-timing']).toBeUndefined();
    await expect(page.getByTestId('session-check')).toContainText(CORE_CHECK_QUERIES[mode]);

    const other = mode === 'stateless' ? 'stateful' : 'stateless';
    await new SiteHeader(page).switchTo(other);
    await new DashboardPage(page).expectSignedIn(account.name, other);

    await loginAs(secondDevice, account, 'stateful');
    const devices = new DevicesPage(page);
    await devices.goto();
    await devices.signOut(/Firefox/);
    await secondDevice.goto('/devices');
    await expect(secondDevice).toHaveURL(`${baseURL}/login?next=%2Fdevices&reason=signed-out-elsewhere`);

    await new SiteHeader(page).logout();
    await expect(page).toHaveURL(`${baseURL}/login?reason=logged-out`);
    await expect(new LoginPage(page).notice()).toHaveText('You have been logged out.');
  });
}

test('without the custom server the device address is unknown, and its headers cannot be forged', async ({ browser, account, baseURL }) => {
  const forger = await browser.newContext({
    baseURL,
    extraHTTPHeaders: { 'x-client-socket-ip': '203.0.113.7', 'x-front-server-token': 'guess', 'x-internal-request-id': 'forged' },
  });
  const page = await forger.newPage();
  await loginAs(page, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(devices.thisDevice()).toContainText('unknown');
  await expect(devices.thisDevice()).not.toContainText('203.0.113.7');
  const response = await page.goto('/dashboard');
  expect(response!.headers()['server-timing']).toBeUndefined();
  await forger.close();
});

test('/compare says this server runs the session code on its own path', async ({ page }) => {
  await page.goto('/compare');
  await expect(page.getByTestId('session-path')).toContainText("This server runs the session code's own path (SESSION_FAST_PATH=0), as you would copy it");
});
