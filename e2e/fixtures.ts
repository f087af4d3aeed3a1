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

/** Signs a brand-new account up in a throwaway context (a made-up name and email unless given). */
export async function createAccount(browser: Browser, baseURL: string, given: Partial<Account> = {}): Promise<Account> {
  const account = { name: `Tester ${randomUUID().slice(0, 8)}`, email: `${randomUUID()}@example.test`, password: 'a-long-test-password', ...given };
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/signup');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // Log the sign-up browser out, so each test starts with no session of this account.
  await new SiteHeader(page).logout();
  await expect(page).toHaveURL(/\/login/);
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

/** Another browser (its own cookies) with another user agent: a second device. */
export async function openDevice(browser: Browser, baseURL: string, userAgent: string, extraHTTPHeaders?: Record<string, string>) {
  const context = await browser.newContext({ baseURL, userAgent, extraHTTPHeaders });
  return context.newPage();
}

export const test = base.extend<{ account: Account; secondDevice: Page }>({
  account: async ({ browser, baseURL }, use) => {
    await use(await createAccount(browser, baseURL!));
  },
  secondDevice: async ({ browser, baseURL }, use) => {
    const page = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows);
    await use(page);
    await page.context().close();
  },
});

export { expect };
export const MODES: Mode[] = ['stateless', 'stateful'];
