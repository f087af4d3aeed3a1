// Test fixtures: a fresh account per test (signed up through the UI), a helper that logs a page in
// under a chosen mode, and a second device (another browser context with another user agent).
import { randomUUID } from 'node:crypto';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { LoginPage } from './pages/login-page';
import { SiteHeader, type Mode } from './pages/site-header';

export type Account = { name: string; email: string; password: string };

export const DEMO = {
  alice: { name: 'Alice Example', email: 'alice@example.com', password: 'alice-password' },
  bob: { name: 'Bob Example', email: 'bob@example.com', password: 'bob-password' },
};

export const USER_AGENTS = {
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};

async function signUp(browser: Browser, baseURL: string): Promise<Account> {
  const account = { name: `Tester ${randomUUID().slice(0, 8)}`, email: `${randomUUID()}@example.test`, password: 'a-long-test-password' };
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/signup');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await context.close();
  return account;
}

/** Logs the page in with the given mode chosen on the login page's header switch. */
export async function loginAs(page: Page, account: Account, mode: Mode) {
  const login = new LoginPage(page);
  await login.goto();
  await new SiteHeader(page).ensureMode(mode);
  await login.login(account.email, account.password);
  await new DashboardPage(page).expectSignedIn(account.name, mode);
}

export const test = base.extend<{ account: Account; secondDevice: Page }>({
  account: async ({ browser, baseURL }, use) => {
    await use(await signUp(browser, baseURL!));
  },
  secondDevice: async ({ browser, baseURL }, use) => {
    const context = await browser.newContext({ baseURL, userAgent: USER_AGENTS.firefoxWindows });
    await use(await context.newPage());
    await context.close();
  },
});

export { expect };
export const MODES: Mode[] = ['stateless', 'stateful'];
