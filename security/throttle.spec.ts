// Login throttling and fresh sign-in, on the server that keeps the README's limits. Failed
// sign-ins lock an account for browsers it does not know, with HTTP 429 and a message beside the
// field, while the owner's browser keeps its own allowance; sensitive actions ask for the password
// when the sign-in is old, so a stolen cookie cannot sign the owner's devices out.
import type { Page } from '@playwright/test';
import { DEFAULTS_SERVER_FRESH_SIGN_IN_SECONDS, PORTS } from '../playwright.config';
import { DashboardPage } from '../e2e/pages/dashboard-page';
import { DevicesPage } from '../e2e/pages/devices-page';
import { LoginPage } from '../e2e/pages/login-page';
import { SettingsPage } from '../e2e/pages/settings-page';
import { SiteHeader } from '../e2e/pages/site-header';
import { USER_AGENTS, expect, loginAs, openDevice, sessionCookie, test } from '../e2e/fixtures';

const DEFAULTS = `http://localhost:${PORTS.defaults}`;
const ACCOUNT_FAILURES = 10; // THROTTLE_LOGIN_FAILURES_PER_ACCOUNT's default
const PASSWORD_FAILURES = 5; // THROTTLE_PASSWORD_FAILURES_PER_USER's default
test.use({ baseURL: DEFAULTS });

/** Does what submits a form on `path`, and returns the HTTP status of the server action's response. */
async function actionStatus(page: Page, path: string, submit: () => Promise<void>) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
  await submit();
  return (await response).status();
}

const submitLogin = (page: Page, email: string, password: string) => actionStatus(page, '/login', () => new LoginPage(page).login(email, password));

test('failed sign-ins lock the account for unknown browsers with 429, and the owner still signs in', async ({ page, browser, account }) => {
  // The owner signed in on this browser before (it holds the sealed device cookie).
  await loginAs(page, account, 'stateful');
  await new SiteHeader(page).logout();

  const attacker = await openDevice(browser, DEFAULTS, USER_AGENTS.firefoxWindows);
  await new LoginPage(attacker).goto();
  for (let i = 0; i < ACCOUNT_FAILURES; i++) {
    expect(await submitLogin(attacker, account.email, `wrong-${i}`)).toBe(200);
    await new LoginPage(attacker).expectGenericError();
    // React resets the form once the action settles; typing before that would be wiped.
    await expect(attacker.getByLabel('Password')).toHaveValue('');
  }
  // Now even the right password is refused from that browser, with the wait.
  expect(await submitLogin(attacker, account.email, account.password)).toBe(429);
  await expect(
    attacker.getByText(
      /^Too many failed sign-ins for this account\. A browser that has signed in to it before can still sign in\. Try again in 1[45] minutes\.$/,
    ),
  ).toBeVisible();
  await expect(attacker).toHaveURL(`${DEFAULTS}/login`);
  expect(await sessionCookie(attacker.context())).toBeUndefined();

  await new LoginPage(page).goto();
  expect(await submitLogin(page, account.email, account.password)).toBe(200);
  await new DashboardPage(page).expectSignedIn(account.name);
  await attacker.context().close();
});

test('a browser that knew the old password is no longer trusted once it changes: its failures lock the account', async ({ page, browser, account }) => {
  // A former attacker signed in with the old password, and holds the device cookie for the account.
  const former = await openDevice(browser, DEFAULTS, USER_AGENTS.firefoxWindows);
  await loginAs(former, account, 'stateful');
  await new SiteHeader(former).logout();
  // The owner changes the password, and signs out.
  await loginAs(page, account, 'stateful');
  const settings = new SettingsPage(page);
  await settings.goto();
  const newPassword = `${account.password}-changed`;
  await settings.changePassword(account.password, newPassword);
  await expect(settings.result()).toContainText('Password changed.');
  await new SiteHeader(page).logout();

  // The former attacker's guesses now spend the account's allowance, not a trusted browser's own.
  await new LoginPage(former).goto();
  for (let i = 0; i < ACCOUNT_FAILURES; i++) {
    expect(await submitLogin(former, account.email, `guess-${i}`)).toBe(200);
    await expect(former.getByLabel('Password')).toHaveValue('');
  }
  const stranger = await openDevice(browser, DEFAULTS, USER_AGENTS.safariIphone);
  await new LoginPage(stranger).goto();
  expect(await submitLogin(stranger, account.email, newPassword)).toBe(429);
  // The owner's browser was trusted again for the new password when it changed it.
  await new LoginPage(page).goto();
  expect(await submitLogin(page, account.email, newPassword)).toBe(200);
  await new DashboardPage(page).expectSignedIn(account.name);
  await former.context().close();
  await stranger.context().close();
});

test('a wrong current password, five times, locks the password change with 429', async ({ page, account }) => {
  await loginAs(page, account, 'stateful');
  const settings = new SettingsPage(page);
  await settings.goto();
  for (let i = 0; i < PASSWORD_FAILURES; i++) {
    expect(await actionStatus(page, '/settings', () => settings.changePassword(`wrong-${i}`, 'a-new-long-password'))).toBe(200);
    await expect(page.getByText('Your current password is not correct')).toBeVisible();
    await expect(page.getByLabel('Current password')).toHaveValue('');
  }
  expect(await actionStatus(page, '/settings', () => settings.changePassword(account.password, 'a-new-long-password'))).toBe(429);
  await expect(page.getByText(/^Too many wrong passwords\. Try again in 1[45] minutes\.$/)).toBeVisible();
});

test.describe('fresh sign-in', () => {
  test.setTimeout(90_000);

  test('signing devices out after the sign-in grew old asks for the password, and a stolen cookie alone cannot', async ({
    page,
    secondDevice,
    browser,
    account,
  }) => {
    await loginAs(page, account, 'stateful');
    await loginAs(secondDevice, account, 'stateful');
    // A thief copies the owner's cookie into a browser of their own.
    const thief = await browser.newContext({ baseURL: DEFAULTS });
    await thief.addCookies([(await sessionCookie(page.context()))!]);
    const thiefPage = await thief.newPage();
    await page.waitForTimeout((DEFAULTS_SERVER_FRESH_SIGN_IN_SECONDS + 1) * 1000);

    const thiefDevices = new DevicesPage(thiefPage);
    await thiefDevices.goto();
    await thiefPage.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(
      thiefPage.getByText(`You signed in more than ${DEFAULTS_SERVER_FRESH_SIGN_IN_SECONDS} seconds ago. Type your password to confirm it is you.`),
    ).toBeVisible();
    await thiefPage.getByLabel('Your password').fill('a-guess');
    await thiefPage.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(thiefPage.getByText('That password is not correct.')).toBeVisible();
    await secondDevice.goto('/dashboard');
    await new DashboardPage(secondDevice).expectSignedIn(account.name);

    const devices = new DevicesPage(page);
    await devices.goto();
    await page.getByRole('button', { name: 'Sign out all other devices' }).click();
    await page.getByLabel('Your password').fill(account.password);
    await page.getByRole('button', { name: 'Sign out all other devices' }).click();
    await expect(
      page.getByText('Signed out 1 other session. Stateless tokens among them can read until they expire, hybrid ones until their access token does.'),
    ).toBeVisible();
    await secondDevice.goto('/dashboard');
    await expect(secondDevice).toHaveURL(`${DEFAULTS}/login?next=%2Fdashboard&reason=signed-out-elsewhere`);
    await thief.close();
  });
});
