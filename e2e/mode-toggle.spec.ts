// The mode switch: re-issues the session in the other mode without logging the user out.
import { DashboardPage } from './pages/dashboard-page';
import { DevicesPage } from './pages/devices-page';
import { SiteHeader } from './pages/site-header';
import { expect, loginAs, sessionCookie, test } from './fixtures';

test('switching mode keeps the user logged in, with a new token of the other mode', async ({ page, context, account }) => {
  await loginAs(page, account, 'stateful');
  const dashboard = new DashboardPage(page);
  const header = new SiteHeader(page);
  const before = (await sessionCookie(context))!.value;

  await header.switchTo('stateless');
  await dashboard.expectSignedIn(account.name, 'stateless');
  const payload = await dashboard.payload();
  expect(payload).toMatchObject({ mode: 'stateless', name: account.name });
  const after = (await sessionCookie(context))!.value;
  expect(after).not.toBe(before);

  await header.switchTo('stateful');
  await dashboard.expectSignedIn(account.name, 'stateful');
  expect((await dashboard.payload()).sid).toEqual(expect.any(String));

  // The choice persists for this browser: the next login uses it.
  await header.logout();
  await expect(header.currentMode()).toHaveText('stateful');
});

test('the old stateful session is dead after a switch (its cookie cannot be replayed)', async ({ page, context, account, browser, baseURL }) => {
  await loginAs(page, account, 'stateful');
  const old = (await sessionCookie(context))!;
  await new SiteHeader(page).switchTo('stateless');

  const replay = await browser.newContext({ baseURL });
  await replay.addCookies([old]);
  const replayPage = await replay.newPage();
  await replayPage.goto('/dashboard');
  await expect(replayPage).toHaveURL(/\/login/);
  await replay.close();
});

test('a switch never extends the session, and the devices page says why the old token ended', async ({ page, account }) => {
  await loginAs(page, account, 'stateless');
  const dashboard = new DashboardPage(page);
  const statelessExp = (await dashboard.payload()).exp as number;

  await new SiteHeader(page).switchTo('stateful');
  await dashboard.expectSignedIn(account.name, 'stateful');
  // A stateful session normally lasts 7 days; this one ends when the stateless token would have,
  // before its idle limit could, so the dashboard shows no idle countdown.
  expect((await dashboard.payload()).exp).toBeLessThanOrEqual(statelessExp);
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0);

  const devices = new DevicesPage(page);
  await devices.goto();
  const thisBrowser = devices.thisDevice();
  await expect(thisBrowser).toContainText('stateful');
  await thisBrowser.getByText('1 earlier session of this browser').click();
  await expect(thisBrowser).toContainText(/stateless, signed in .*: Replaced when this browser switched mode\. Its stateless token can still read for/);
  await expect(devices.device(/./)).toHaveCount(1);
});
