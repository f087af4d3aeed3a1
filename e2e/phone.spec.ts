// A 390-pixel-wide phone (the "phone" project): no page scrolls sideways, signed out or in,
// in either mode, even with a long name and email; the header keeps to two rows.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { SiteHeader } from './pages/site-header';
import { MODES, expect, loginAs, test, type Account } from './fixtures';

const PUBLIC_PAGES = ['/', '/login', '/signup', '/compare', '/no-such-page'];
const SIGNED_IN_PAGES = ['/dashboard', '/devices', '/settings', '/compare'];

async function expectNoSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${path} is ${scrollWidth} px wide on a ${innerWidth} px screen`).toBeLessThanOrEqual(innerWidth);
}

async function expectHeaderRows(page: Page, maxRows: number) {
  const height = (await page.getByRole('banner').boundingBox())!.height;
  // A row of header controls is about 30 px high, plus the header's padding.
  expect(height, `the header is ${height} px high`).toBeLessThanOrEqual(16 + maxRows * 34);
}

/** Signs up through the UI with a name and an email far longer than usual. */
async function signUpLongAccount(page: Page): Promise<Account> {
  const id = randomUUID();
  const account = { name: `Maximiliane Alexandra ${id.slice(0, 8)} von Hohenzollern-Sigmaringen`, email: `maximiliane.alexandra.${id}@a-very-long-domain-name.example`, password: 'a-long-test-password' };
  await page.goto('/signup');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await new SiteHeader(page).logout();
  return account;
}

test('signed out, no page scrolls sideways and the header takes two rows', async ({ page }) => {
  for (const path of PUBLIC_PAGES) await expectNoSidewaysScroll(page, path);
  await page.goto('/');
  await expectHeaderRows(page, 2);
});

for (const mode of MODES) {
  test(`signed in (${mode}) with a long name and email, no page scrolls sideways`, async ({ page }) => {
    const account = await signUpLongAccount(page);
    await loginAs(page, account, mode);
    await expectHeaderRows(page, 2);
    for (const path of SIGNED_IN_PAGES) await expectNoSidewaysScroll(page, path);
  });
}
