// Every page, signed out and signed in under each mode, at desktop and phone width, passes an axe
// audit (WCAG 2.1 A and AA) with no violation of any impact; and a keyboard user can skip the
// header, and keeps a sensible focus after the actions that replace the button they pressed.
import { expectAccessible } from './axe';
import { ComparePage } from './pages/compare-page';
import { DevicesPage } from './pages/devices-page';
import { LoginPage } from './pages/login-page';
import { SiteHeader } from './pages/site-header';
import { MODES, USER_AGENTS, expect, loginAs, openDevice, sessionCookie, test } from './fixtures';

/** A token's exp claim, read without verifying it (the test only compares times). */
const expOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const SIGNED_OUT_PAGES = ['/', '/login', '/signup', '/try', '/compare', '/login?reason=expired', '/login?busy=1', '/no-such-page'];
const SIGNED_IN_PAGES = ['/dashboard', '/devices', '/settings', '/try', '/compare', '/login', '/'];

for (const [width, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`at ${width} width`, () => {
    test.use({ viewport });

    test('every page a signed-out visitor can open passes the audit, a failed login included', async ({ page }) => {
      for (const path of SIGNED_OUT_PAGES) {
        await page.goto(path);
        await expectAccessible(page, `${path} (${width}, signed out)`);
      }
      const login = new LoginPage(page);
      await login.goto();
      await login.login('nobody@example.test', 'a-wrong-password');
      await login.expectGenericError();
      await expectAccessible(page, `/login with an error (${width})`);
    });

    for (const mode of MODES) {
      test(`every page passes the audit signed in under ${mode}`, async ({ persona }) => {
        const page = await persona.signedInPage(mode);
        await page.setViewportSize(viewport);
        for (const path of SIGNED_IN_PAGES) {
          await page.goto(path);
          await expectAccessible(page, `${path} (${width}, ${mode})`);
        }
      });
    }
  });
}

test('the skip link is the first stop of the keyboard, and takes it past the header to the form', async ({ page, baseURL }) => {
  await page.goto('/login');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${baseURL}/login#main`);
  await expect(page.getByRole('main')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Email')).toBeFocused();
});

test('after a mode switch from the keyboard, focus is on the new mode, not back at the top of the page', async ({ page, account }) => {
  await loginAs(page, account, 'hybrid');
  await page.getByRole('button', { name: 'Switch to stateless' }).focus();
  await page.keyboard.press('Enter');
  const current = new SiteHeader(page).currentMode();
  await expect(current).toHaveText('stateless');
  await expect(current).toBeFocused();
  // A fresh stateless token ends long before the hybrid session would have: nothing was cut, so nothing more is said.
  await expect(page.getByTestId('mode-switch-notice')).toHaveText('Switched to stateless mode.');
  // Announced to a screen reader, not shown.
  await expect(page.getByTestId('mode-switch-notice')).toHaveClass('sr-only');
});

test('a switch that shortens the session says so at once: a stateless token switched to stateful keeps its end', async ({ page, account }) => {
  await loginAs(page, account, 'stateless');
  const tokenEndMs = expOf((await sessionCookie(page.context()))!.value) * 1000;
  const notice = page.getByTestId('mode-switch-notice');
  await new SiteHeader(page).switchTo('stateful');
  // The new stateful session (its cookie, to the second) ends when the stateless token would have; the notice says when, in the browser's own clock.
  expect(Math.abs((await sessionCookie(page.context()))!.expires * 1000 - tokenEndMs)).toBeLessThan(1000);
  const time = await page.evaluate((ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), tokenEndMs);
  await expect(notice).toHaveText(
    `Switched to stateful mode. This session now ends at ${time}, the end of the stateless token you switched from. Log in again for a full stateful session.`,
  );
  await expect(notice).toBeVisible();
  await expectAccessible(page, 'the dashboard after a shortening switch');

  // Back to stateless: a fresh token would outlive what is left, so the switch never extends it either.
  await new SiteHeader(page).switchTo('stateless');
  await expect(notice).toHaveText(
    `Switched to stateless mode. This session now ends at ${time}, the end of the stateful session you switched from. Log in again for a full stateless session.`,
  );
  expect(expOf((await sessionCookie(page.context()))!.value) * 1000).toBe(tokenEndMs);
});

test("after signing another device out, focus is on the result, where the device's card was", async ({ page, browser, baseURL, account }) => {
  const other = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows);
  await loginAs(other, account, 'stateful');
  await loginAs(page, account, 'stateful');
  const devices = new DevicesPage(page);
  await devices.goto();
  await devices
    .device(/Firefox 128 on Windows 10/)
    .getByRole('button', { name: /^Sign out/ })
    .focus();
  await page.keyboard.press('Enter');
  const result = page.getByText('Signed out. That device’s next request will be refused.');
  await expect(result).toBeFocused();
  await expect(devices.device(/Firefox 128 on Windows 10/)).toHaveCount(0);
  await expectAccessible(page, '/devices after signing a device out');
  await other.context().close();
});

test("the lab's button keeps keyboard focus while the lab runs, and its progress is announced in a status line", async ({ page, account }) => {
  test.setTimeout(90_000);
  await loginAs(page, account, 'stateful');
  await new ComparePage(page).goto();
  const start = page.getByRole('button', { name: 'Start revocation lab' });
  await start.focus();
  await page.keyboard.press('Enter');
  const running = page.getByRole('button', { name: 'Replaying…' });
  await expect(running).toBeFocused();
  await expect(running).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Lab running' })).toHaveText('Lab running: replaying the signed-out tokens…');
  await expect(page.getByTestId('lab-status')).toHaveText('Lab finished: the replays are over, the results are below.', { timeout: 30_000 });
  await expect(start).toBeFocused();
});
