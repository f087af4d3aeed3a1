// Test fixtures: a fresh account per test (signed up through the UI), a helper that logs a page in
// under a chosen mode, and a second device (another browser context with another user agent).
import { randomUUID } from 'node:crypto';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { DashboardPage } from './pages/dashboard-page';
import { LoginPage } from './pages/login-page';
import { SignupPage } from './pages/signup-page';
import { SiteHeader, type Mode } from './pages/site-header';

export type Account = { name: string; email: string; password: string };

/** The session cookie's name, as the production build sets it (COOKIE_SECURE: the __Host- prefix). */
export const SESSION_COOKIE = '__Host-session';

/** Hybrid mode's refresh cookie, as the production build sets it. */
export const REFRESH_COOKIE = '__Host-refresh';

/** The session cookie this browser holds, if any. */
export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** The refresh cookie this browser holds, if any (hybrid mode). */
export async function refreshCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === REFRESH_COOKIE);
}

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
  const signup = new SignupPage(page);
  await signup.goto();
  await signup.signUp(account);
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

/**
 * One account per worker that signs in through the UI once per mode, then hands out pages that
 * reuse the stored browser state. For tests whose subject is not the login itself and that end
 * no session of it; tests that sign out, change passwords or run labs use a fresh `account`.
 */
export type Persona = { account: Account; signedInPage(mode: Mode): Promise<Page> };
type StoredState = { state: Awaited<ReturnType<BrowserContext['storageState']>>; expiresUnix: number };

// Per worker and per server: each test server has its own database, so an account (and a stored
// sign-in) made on one does not exist on another.
export const test = base.extend<
  { account: Account; secondDevice: Page; persona: Persona },
  { personaAccounts: Map<string, Promise<Account>>; personaStates: Map<string, StoredState> }
>({
  account: async ({ browser, baseURL }, use) => {
    await use(await createAccount(browser, baseURL!));
  },
  secondDevice: async ({ browser, baseURL }, use) => {
    const page = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows);
    await use(page);
    await page.context().close();
  },
  personaAccounts: [async ({}, use) => use(new Map()), { scope: 'worker' }],
  personaStates: [async ({}, use) => use(new Map()), { scope: 'worker' }],
  persona: async ({ browser, baseURL, personaAccounts, personaStates }, use) => {
    if (!personaAccounts.has(baseURL!)) personaAccounts.set(baseURL!, createAccount(browser, baseURL!));
    const personaAccount = await personaAccounts.get(baseURL!)!;
    const contexts: BrowserContext[] = [];
    await use({
      account: personaAccount,
      async signedInPage(mode) {
        const key = `${baseURL} ${mode}`;
        let stored = personaStates.get(key);
        // A stored stateless token may be close to its exp: sign in again rather than go stale.
        if (!stored || stored.expiresUnix - Date.now() / 1000 < 60) {
          const context = await browser.newContext({ baseURL });
          await loginAs(await context.newPage(), personaAccount, mode);
          stored = { state: await context.storageState(), expiresUnix: (await sessionCookie(context))!.expires };
          personaStates.set(key, stored);
          await context.close();
        }
        const context = await browser.newContext({ baseURL, storageState: stored.state });
        contexts.push(context);
        return context.newPage();
      },
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };
export const MODES: Mode[] = ['stateless', 'stateful', 'hybrid'];

/**
 * What the dashboard says one check of each mode cost on the fast path (the prepared read): hybrid
 * reads, like stateless, query nothing.
 */
export const CHECK_QUERIES: Record<Mode, string> = { stateless: '0 database queries', stateful: '1 database query', hybrid: '0 database queries' };

/** The same on the session code's own path: Prisma reads the row, then its user. */
export const CORE_CHECK_QUERIES: Record<Mode, string> = { ...CHECK_QUERIES, stateful: '2 database queries' };
