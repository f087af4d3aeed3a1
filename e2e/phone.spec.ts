// A 390-pixel-wide phone (the "phone" project): no page scrolls sideways, signed out or in,
// in either mode, even with a long name and email; the header keeps to two rows.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { MODES, createAccount, expect, loginAs, test } from './fixtures';

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

/** A name and an email far longer than usual. */
function longAccount() {
  const id = randomUUID();
  return { name: `Maximiliane Alexandra ${id.slice(0, 8)} von Hohenzollern-Sigmaringen`, email: `maximiliane.alexandra.${id}@a-very-long-domain-name.example` };
}

test('signed out, no page scrolls sideways and the header takes two rows', async ({ page }) => {
  for (const path of PUBLIC_PAGES) await expectNoSidewaysScroll(page, path);
  await page.goto('/');
  await expectHeaderRows(page, 2);
});

for (const mode of MODES) {
  test(`signed in (${mode}) with a long name and email, no page scrolls sideways`, async ({ page, browser, baseURL }) => {
    const account = await createAccount(browser, baseURL!, longAccount());
    await loginAs(page, account, mode);
    await expectHeaderRows(page, 2);
    for (const path of SIGNED_IN_PAGES) await expectNoSidewaysScroll(page, path);
  });
}
