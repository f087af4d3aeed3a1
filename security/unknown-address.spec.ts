// Throttles that must not switch off where the client's address is unknown, on plain `next start`
// (no custom server) behind two trusted proxies (TRUST_PROXY=2): a request that did not come
// through both shares one bucket with its own limits; one that did is known by the entry the
// outer proxy appended, whatever the client wrote before it; and password hashing is capped per
// process, the excess told to come back at once instead of queueing without bound.
import { randomUUID } from 'node:crypto';
import type { Browser } from '@playwright/test';
import { LIMITS, PORTS } from '../playwright.config';
import { DevicesPage } from '../e2e/pages/devices-page';
import { LoginPage } from '../e2e/pages/login-page';
import { SignupPage } from '../e2e/pages/signup-page';
import { expectAccessible } from '../e2e/axe';
import { expect, test } from '../e2e/fixtures';

const BASE = `http://localhost:${PORTS.limits}`;
test.use({ baseURL: BASE });
// One after another: the server hashes one password at a time, and a burst in one test would
// answer "busy" to a sign-up in another.
test.describe.configure({ mode: 'default' });

/** The inner proxy's address, which it appends after the outer proxy's entry. */
const INNER_PROXY = '10.0.0.1';

/**
 * A browser whose every request arrives with this X-Forwarded-For: as if through both trusted
 * proxies when it ends with the inner proxy's entry, or straight (no header) when none is given.
 */
async function behindProxy(browser: Browser, forwardedFor?: string, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled, extraHTTPHeaders: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {} });
  return context.newPage();
}

/** Eight browsers, each from an address of its own, with a wrong password for `email` typed into the login form. */
function wrongPasswordsTyped(browser: Browser, email: string, { javaScriptEnabled = true } = {}) {
  return Promise.all(
    Array.from({ length: 8 }, async () => {
      const attempt = await behindProxy(browser, through(address()), { javaScriptEnabled });
      await new LoginPage(attempt).goto();
      await attempt.getByLabel('Email').fill(email);
      await attempt.getByLabel('Password').fill('not-the-password');
      return attempt;
    }),
  );
}

/** X-Forwarded-For as the two proxies leave it for a client at `client` that sent `sent` itself. */
const through = (client: string, sent?: string) => [sent, client, INNER_PROXY].filter(Boolean).join(', ');

// Fresh addresses in TEST-NET-2, never the same one twice in a run: an address an earlier test
// spent its allowance from would answer "too many attempts from your network" in the next.
const firstAddress = Math.floor(Math.random() * 250);
let addressesUsed = 0;
const address = () => `198.51.100.${((firstAddress + addressesUsed++) % 250) + 1}`;

async function signUp(browser: Browser, forwardedFor?: string) {
  const page = await behindProxy(browser, forwardedFor);
  const account = { name: 'Una Known', email: `${randomUUID()}@example.test`, password: 'a-long-test-password' };
  await new SignupPage(page).goto();
  await new SignupPage(page).signUp(account);
  return { page, account };
}

test('sign-ups whose address is unknown share one bucket with its own limit: never unlimited', async ({ browser }) => {
  for (let i = 0; i < LIMITS.signupsFromUnknownAddresses; i++) {
    const { page } = await signUp(browser);
    await expect(page).toHaveURL(`${BASE}/dashboard`);
    await page.context().close();
  }
  const { page } = await signUp(browser);
  await expect(page.getByText(/^Too many sign-ups to this server right now\. Try again in \d+ minutes\.$/)).toBeVisible();
  await expect(page).toHaveURL(`${BASE}/signup`);
  await page.context().close();
});

test('behind trusted proxies the address is the entry they vouch for: spoofing the entries to its left evades nothing', async ({ browser }) => {
  const real = address();
  const { page, account } = await signUp(browser, through(real));
  await expect(page).toHaveURL(`${BASE}/dashboard`);
  const devices = new DevicesPage(page);
  await devices.goto();
  await expect(devices.thisDevice()).toContainText(real);
  await page.context().close();

  // Each attempt claims another address on the left; the proxy appended the same real one.
  for (let i = 0; i <= LIMITS.loginsPerIp; i++) {
    const attempt = await behindProxy(browser, through(real, `203.0.113.${i + 1}`));
    const login = new LoginPage(attempt);
    await login.goto();
    await login.login(account.email, `wrong-${i}`);
    if (i < LIMITS.loginsPerIp) await login.expectGenericError();
    else await expect(attempt.getByText(/^Too many sign-in attempts from your network\. Try again in \d+ minutes\.$/)).toBeVisible();
    await attempt.context().close();
  }
});

test('password hashing is capped per process: a burst gets "busy, try again" at once, never a 500 or an endless wait', async ({ browser }) => {
  const { page, account } = await signUp(browser, through(address()));
  await page.context().close();
  const attempts = await wrongPasswordsTyped(browser, account.email);
  const answers = await Promise.all(
    attempts.map(async (attempt) => {
      const response = attempt.waitForResponse((r) => r.request().method() === 'POST');
      await attempt.getByRole('button', { name: 'Log in' }).click();
      const status = (await response).status();
      // Refused by the action (the message beside the field), or by the proxy while the hash runs:
      // 503, and the login page says why.
      const busy = attempt.getByText('The server is busy checking other passwords. Try again in 1 second.');
      const refusedFirst = attempt
        .getByRole('status')
        .filter({ hasText: 'Your login was not checked: this server has had too many failed sign-ins, or has too many passwords to check' });
      const invalid = attempt.getByRole('main').getByRole('alert').filter({ hasText: 'Invalid email or password.' });
      await expect(busy.or(refusedFirst).or(invalid)).toBeVisible();
      if (await refusedFirst.isVisible()) expect(attempt.url()).toBe(`${BASE}/login?busy=1`);
      return { status, refused: (await busy.isVisible()) || (await refusedFirst.isVisible()), byProxy: await refusedFirst.isVisible() };
    }),
  );
  for (const attempt of attempts) await attempt.context().close();
  // Plain `next start` cannot set an action's status (server.mjs answers 503); the proxy can.
  expect(answers.every(({ status, byProxy }) => status === (byProxy ? 503 : 200))).toBe(true);
  expect(answers.filter(({ refused }) => refused).length).toBeGreaterThan(0);
  expect(answers.filter(({ refused }) => !refused).length).toBeGreaterThan(0);
});

test('a login posted without JavaScript while the password work is full gets the proxy’s own page: 503, Retry-After, accessible, and a way back', async ({
  browser,
}) => {
  const { page, account } = await signUp(browser, through(address()));
  await page.context().close();
  const forms = await wrongPasswordsTyped(browser, account.email, { javaScriptEnabled: false });
  const answers = await Promise.all(
    forms.map(async (attempt) => {
      const response = attempt.waitForResponse((r) => r.request().method() === 'POST');
      await attempt.getByRole('button', { name: 'Log in' }).click();
      return { attempt, response: await response };
    }),
  );
  const refused = answers.filter(({ response }) => response.status() === 503);
  // The first one is checked (one hash at a time, none waiting); the proxy refuses the rest while it runs.
  expect(refused.length, `answered ${answers.map(({ response }) => response.status())}`).toBeGreaterThan(0);
  for (const { attempt, response } of refused) {
    expect(response.headers()['retry-after']).toBe('1');
    await expect(attempt.getByRole('heading', { level: 1 })).toHaveText('Your login was not checked');
    await expect(attempt.getByRole('alert')).toHaveText('The server is busy checking other passwords. Try again in 1 second.');
    // axe runs in the page, and this browser runs no script: the same page, audited where one runs.
    const audited = await (await browser.newContext()).newPage();
    await audited.setContent(await response.text());
    await expectAccessible(audited, 'the proxy’s refusal of a login');
    await audited.context().close();
    await attempt.getByRole('link', { name: 'Back to log in' }).click();
    await expect(attempt).toHaveURL(`${BASE}/login`);
  }
  for (const { attempt } of answers) await attempt.context().close();
});
