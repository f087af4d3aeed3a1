// Attacks on sessions rather than tokens: replaying a token after its session ended (each way it
// can end, in each mode, with the stateless limit as documented: it reads until exp, it never
// acts), fixation, and signing out someone else's device by its id.
import type { APIRequestContext, Page } from '@playwright/test';
import { DashboardPage } from '../e2e/pages/dashboard-page';
import { DevicesPage } from '../e2e/pages/devices-page';
import { LoginPage } from '../e2e/pages/login-page';
import { SettingsPage } from '../e2e/pages/settings-page';
import { SiteHeader } from '../e2e/pages/site-header';
import { MODES, USER_AGENTS, createAccount, expect, loginAs, openDevice, sessionCookie, test, type Account } from '../e2e/fixtures';
import { cookieHeader } from './support';

const ENDINGS: { name: string; end: (page: Page, account: Account) => Promise<void>; notice: string }[] = [
  { name: 'logout', end: (page) => new SiteHeader(page).logout(), notice: 'logged-out' },
  {
    name: 'a password change in this browser',
    end: async (page, account) => {
      const settings = new SettingsPage(page);
      await settings.goto();
      await settings.changePassword(account.password, `${account.password}-new`);
      await expect(settings.result()).toBeVisible();
    },
    notice: 'replaced',
  },
  {
    name: '"sign out everywhere"',
    end: (page) => new DevicesPage(page).goto().then(() => new DevicesPage(page).signOutEverywhere()),
    notice: 'signed-out-elsewhere',
  },
];

async function replay(request: APIRequestContext, token: string, origin: string) {
  const cookie = cookieHeader(token);
  const read = await request.get('/api/session', { headers: { cookie } });
  const write = await request.post('/api/lab', { headers: { cookie, origin }, maxRedirects: 0 });
  return { read: { status: read.status(), body: await read.json() }, write: { status: write.status(), body: await write.json() } };
}

for (const mode of MODES) {
  for (const ending of ENDINGS) {
    test(`${mode}: a token replayed after ${ending.name} ${mode === 'stateful' ? 'is refused' : 'still reads until exp but cannot act'}`, async ({
      page,
      account,
      request,
      baseURL,
    }) => {
      await loginAs(page, account, mode);
      const token = (await sessionCookie(page.context()))!.value;
      await ending.end(page, account);
      const result = await replay(request, token, baseURL!);
      const refusal = { status: 401, body: { error: expect.any(String), reason: ending.notice } };
      if (mode === 'stateful') {
        expect(result).toEqual({ read: { status: 401, body: { error: 'Not signed in', reason: ending.notice } }, write: refusal });
      } else {
        expect(result).toEqual({
          // A stateless token reads until its exp; a hybrid access token too (its refresh is refused).
          read: { status: 200, body: expect.objectContaining({ mode, user: expect.objectContaining({ name: account.name }) }) },
          write: refusal,
        });
      }
    });
  }
}

for (const mode of MODES) {
  test(`${mode}: a session cookie planted before login is never adopted`, async ({ browser, baseURL, account, request }) => {
    // The attacker's own valid session, planted in the victim's browser.
    const attacker = await createAccount(browser, baseURL!);
    const attackerPage = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows);
    await loginAs(attackerPage, attacker, mode);
    const planted = (await sessionCookie(attackerPage.context()))!;
    const victim = await openDevice(browser, baseURL!, USER_AGENTS.safariIphone);
    await victim.context().addCookies([planted]);
    const login = new LoginPage(victim);
    await login.goto();
    await login.login(account.email, account.password);
    await new DashboardPage(victim).expectSignedIn(account.name);

    const issued = (await sessionCookie(victim.context()))!.value;
    expect(issued).not.toBe(planted.value);
    const asPlanted = await request.get('/api/session', { headers: { cookie: cookieHeader(planted.value) } });
    if (mode === 'stateful') {
      expect(asPlanted.status()).toBe(401);
    } else {
      // A stateless token cannot be ended, but it never becomes the victim's.
      expect(await asPlanted.json()).toMatchObject({ user: { name: attacker.name } });
    }
    await attackerPage.context().close();
    await victim.context().close();
  });
}

test('a session id of another user cannot be signed out, even posted by hand', async ({ page, secondDevice, account: alice, browser, baseURL }) => {
  await loginAs(page, alice, 'stateful');
  await loginAs(secondDevice, alice, 'stateful');
  const aliceDevices = new DevicesPage(page);
  await aliceDevices.goto();
  const aliceSessionId = await aliceDevices
    .device(/Firefox 128 on Windows 10/)
    .locator('input[name="sessionId"]')
    .inputValue();

  const bob = await createAccount(browser, baseURL!);
  const bobPage = await openDevice(browser, baseURL!, USER_AGENTS.safariIphone);
  const bobOther = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows);
  await loginAs(bobPage, bob, 'stateful');
  await loginAs(bobOther, bob, 'stateful');
  const bobDevices = new DevicesPage(bobPage);
  await bobDevices.goto();
  const row = bobDevices.device(/Firefox 128 on Windows 10/);
  await row.locator('input[name="sessionId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), aliceSessionId);
  await row.getByRole('button', { name: /^Sign out/ }).click();
  await expect(bobPage.getByText('That device could not be signed out. It may already be signed out.')).toBeVisible();

  await secondDevice.goto('/dashboard');
  await new DashboardPage(secondDevice).expectSignedIn(alice.name);
  await bobPage.context().close();
  await bobOther.context().close();
});

test('a password change never signs out its own browser, whose other requests are still in flight', async ({ page, account }) => {
  await loginAs(page, account, 'stateful');
  const settings = new SettingsPage(page);
  await settings.goto();
  // The tab keeps asking for its session, as a busy page would, while the password changes.
  await page.evaluate(() => {
    const state = window as unknown as { polling: boolean };
    state.polling = true;
    void (async () => {
      while (state.polling) await fetch('/api/session').catch(() => undefined);
    })();
  });
  await settings.changePassword(account.password, `${account.password}-new`);
  await expect(settings.result()).toContainText('Password changed.');
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    (window as unknown as { polling: boolean }).polling = false;
  });
  await page.waitForTimeout(200);
  await page.goto('/dashboard');
  await new DashboardPage(page).expectSignedIn(account.name, 'stateful');
});
