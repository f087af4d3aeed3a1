// The devices page with two (or three) browsers as devices: what each mode can and cannot end.
import { DashboardPage } from './pages/dashboard-page';
import { DevicesPage } from './pages/devices-page';
import { LoginPage } from './pages/login-page';
import { SettingsPage } from './pages/settings-page';
import { CLOCK_TOLERANCE_SECONDS, SHORT_STATELESS_TTL_SECONDS, PORTS } from '../playwright.config';
import Database from 'better-sqlite3';
import { USER_AGENTS, expect, loginAs, openDevice, sessionCookie, test } from './fixtures';

const FIREFOX = /Firefox 128 on Windows 10/;

test('device A lists device B with its parsed browser, OS, type and mode', async ({ page, secondDevice, account }) => {
  await loginAs(page, account, 'stateful');
  await loginAs(secondDevice, account, 'stateless');
  const devices = new DevicesPage(page);
  await devices.goto();
  const b = devices.device(FIREFOX);
  await expect(b).toContainText('desktop');
  await expect(b).toContainText('stateless');
  await expect(b).toContainText('Signed in');
  await expect(devices.thisDevice()).toContainText('This device');
  await expect(devices.thisDevice()).toContainText('stateful');
  await expect(devices.thisDevice()).toContainText(/Last active (just now|\d+ seconds? ago)/);
  await expect(page.getByTestId('session-counts')).toContainText('You have 2 active sessions');
  // A maintained figure, recounted at most once a minute, and the page says when it was counted.
  await expect(page.getByTestId('session-counts')).toContainText(
    /\d+ users? had an active stateful session on this server when it last counted, (just now|\d+ seconds? ago)/,
  );
});

test("stateful: A signs B out and B's next request lands on login with a notice", async ({ page, secondDevice, account }) => {
  await loginAs(page, account, 'stateful');
  await loginAs(secondDevice, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await devices.signOutStateful(FIREFOX);
  await expect(devices.device(FIREFOX)).toHaveCount(0);

  await secondDevice.goto('/dashboard');
  await expect(secondDevice).toHaveURL(/\/login\?next=%2Fdashboard&reason=signed-out-elsewhere/);
  await expect(new LoginPage(secondDevice).notice()).toHaveText('You were signed out from another device.');
  // The dead cookie was cleared: replaying the page does not bring the session back.
  expect(await sessionCookie(secondDevice.context())).toBeUndefined();
});

test.describe('stateless, with an 8-second token', () => {
  test.use({ baseURL: `http://localhost:${PORTS.shortLived}` });

  test('A signs B out; B stays signed in while the countdown runs, then is out after exp', async ({ page, secondDevice, account }) => {
    await loginAs(secondDevice, account, 'stateless');
    const exp = (await new DashboardPage(secondDevice).payload()).exp as number;
    await loginAs(page, account, 'stateful');
    const devices = new DevicesPage(page);
    await devices.goto();
    await devices.signOut(FIREFOX);
    await expect(
      page.getByText(
        'That device’s stateless token can still read until it expires (no request of it reaches the database), but it can no longer change anything.',
      ),
    ).toBeVisible();
    await expect(devices.device(FIREFOX)).toContainText(
      /Signed out from another device\. Its stateless token can still read for\s*00:[01]\d\s*\(its lifetime plus the server's clock tolerance\), but can no longer change anything\./,
    );

    await secondDevice.reload();
    await new DashboardPage(secondDevice).expectSignedIn(account.name, 'stateless');

    // Accepted until exp plus the server's clock tolerance; wait just past that.
    const wait = (exp + CLOCK_TOLERANCE_SECONDS) * 1000 - Date.now() + 1000;
    expect(wait).toBeLessThan((SHORT_STATELESS_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS + 2) * 1000);
    const cookie = (await sessionCookie(secondDevice.context()))!;
    await secondDevice.waitForTimeout(Math.max(0, wait));
    await secondDevice.goto('/dashboard');
    await expect(secondDevice).toHaveURL(/\/login\?next=%2Fdashboard/);

    // The browser dropped the cookie at exp; the server refuses the token too when it is replayed.
    await secondDevice.context().addCookies([{ ...cookie, expires: Math.floor(Date.now() / 1000) + 3600 }]);
    await secondDevice.goto('/dashboard');
    await expect(secondDevice).toHaveURL(/\/login\?next=%2Fdashboard&reason=expired/);
    await expect(new LoginPage(secondDevice).notice()).toHaveText('Your session expired. Please log in again.');
  });
});

test('sign out all other devices ends every other stateful session', async ({ page, secondDevice, account, browser, baseURL }) => {
  const third = await openDevice(browser, baseURL!, USER_AGENTS.safariIphone);
  await loginAs(page, account, 'stateful');
  await loginAs(secondDevice, account, 'stateful');
  await loginAs(third, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(devices.device(/Safari 17 on iOS 17/)).toContainText('mobile');
  await devices.signOutOthers();
  for (const other of [secondDevice, third]) {
    await other.goto('/dashboard');
    await expect(other).toHaveURL(/reason=signed-out-elsewhere/);
  }
  await page.goto('/dashboard');
  await new DashboardPage(page).expectSignedIn(account.name);
  await third.context().close();
});

test('sign out everywhere ends this device too', async ({ page, secondDevice, account }) => {
  await loginAs(page, account, 'stateful');
  await loginAs(secondDevice, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await devices.signOutEverywhere();
  await expect(page).toHaveURL(/\/login\?reason=logged-out/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);
  await secondDevice.goto('/devices');
  await expect(secondDevice).toHaveURL(/\/login\?next=%2Fdevices&reason=signed-out-elsewhere/);
});

test('a password change ends the other stateful sessions', async ({ page, secondDevice, account, baseURL }) => {
  await loginAs(page, account, 'stateful');
  await loginAs(secondDevice, account, 'stateful');
  const settings = new SettingsPage(page);
  await settings.goto();
  await settings.changePassword('wrong-password', 'a-brand-new-password');
  await expect(page.getByText('Your current password is not correct')).toBeVisible();

  await settings.changePassword(account.password, 'a-brand-new-password');
  await expect(settings.result()).toContainText('Password changed. 1 other session was signed out');

  await secondDevice.goto('/dashboard');
  await expect(secondDevice).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=password-changed`);
  await new LoginPage(secondDevice).login(account.email, account.password);
  await new LoginPage(secondDevice).expectGenericError();
  await new LoginPage(secondDevice).login(account.email, 'a-brand-new-password');
  await new DashboardPage(secondDevice).expectSignedIn(account.name);

  await page.goto('/dashboard');
  await new DashboardPage(page).expectSignedIn(account.name);
});

test("the IP shown is the socket's: a forged X-Forwarded-For is ignored without TRUST_PROXY", async ({ page, account, browser, baseURL }) => {
  const spoofer = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows, { 'x-forwarded-for': '203.0.113.9' });
  await loginAs(spoofer, account, 'stateful');
  await loginAs(page, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(devices.device(FIREFOX)).toContainText('127.0.0.1');
  await expect(devices.device(FIREFOX)).not.toContainText('203.0.113.9');
  await spoofer.context().close();
});

test('alone on the devices page, a user is told how to get a second device to sign out; once one signs in, the hint gives way to it', async ({
  page,
  secondDevice,
  account,
}) => {
  await loginAs(page, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(page.getByTestId('second-device-hint')).toContainText(
    `No other device of yours is signed in. To watch what signing one out does in this mode, open a private window (or another browser), log in there as ${account.email}`,
  );
  await loginAs(secondDevice, account, 'stateless');
  await devices.goto();
  await expect(devices.device(FIREFOX).getByRole('button', { name: /^Sign out/ })).toBeVisible();
  await expect(page.getByTestId('second-device-hint')).toHaveCount(0);
});

test('an account with 60 other sessions: 50 a page, this browser first on the first, the rest a click away', async ({ page, account, baseURL }) => {
  await loginAs(page, account, 'stateless');
  // An API client's 60 sessions, each more recently active than this browser's login, straight into the server's database.
  const db = new Database('data/e2e.db');
  try {
    const { id: userId } = db.prepare('SELECT id FROM "User" WHERE email = ?').get(account.email) as { id: string };
    const insert = db.prepare(
      "INSERT INTO \"Session\" (id, tokenHash, userId, mode, deviceId, userAgent, ip, createdAt, lastActiveAt, expiresAt) VALUES (?, ?, ?, 'stateful', ?, 'curl/8.5.0', '203.0.113.7', ?, ?, ?)",
    );
    // As Prisma stores a DateTime in SQLite: ISO 8601 text.
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().replace('Z', '+00:00');
    for (let i = 0; i < 60; i++) insert.run(`bulk-${userId}-${i}`, `bulk-${userId}-${i}`, userId, `bulk-device-${i}`, at(0), at(1000 + i), at(3600_000));
  } finally {
    db.close();
  }
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(page.getByTestId('session-counts')).toContainText('You have 61 active sessions');
  const list = page.getByRole('list', { name: 'Signed-in devices' }).locator(':scope > li');
  await expect(list).toHaveCount(51);
  await expect(list.first()).toHaveAccessibleName(/\(this device\)/);
  await page.getByRole('navigation', { name: 'Pages of devices' }).getByRole('link', { name: 'Older devices' }).click();
  await expect(page).toHaveURL(`${baseURL}/devices?page=2`);
  await expect(list).toHaveCount(10);
  await expect(devices.thisDevice()).toHaveCount(0);
  await page.getByRole('link', { name: 'Newer devices' }).click();
  await expect(page).toHaveURL(`${baseURL}/devices`);
  await expect(list).toHaveCount(51);
});
