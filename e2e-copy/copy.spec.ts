// The copied app, as its first user meets it: sign up, a protected page, a second device signed in
// and then signed out from the first, and what the mode promises about that signed-out device.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';

const MODES = (process.env.COPY_MODES ?? '').split(',').filter(Boolean);
const PASSWORD = 'a-long-copy-password';
// With the proxy, a refused visitor comes back to the page it asked for; without it (optional for
// stateless and stateful), pages cannot read their own path and send it to the dashboard.
const HAS_PROXY = process.env.COPY_HAS_PROXY === '1';
const back = (path: string) => encodeURIComponent(HAS_PROXY ? path : '/dashboard');

async function logIn(page: Page, intent: 'Log in' | 'Sign up', email: string, mode: string) {
  await page.goto('/login');
  if (intent === 'Sign up') await page.getByLabel('Name (to sign up)').fill('Copy Tester');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  if (MODES.length > 1) await page.getByLabel('Mode').selectOption(mode);
  await page.getByRole('button', { name: intent }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Copy Tester' })).toBeVisible();
}

/** Another browser holding a copy of this one's cookies: what someone who copied them could do. */
async function copyOf(browser: Browser, context: BrowserContext) {
  const copy = await browser.newContext();
  await copy.addCookies(await context.cookies());
  return copy.newPage();
}

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === 'session')!;
}

/** When the session cookie's JWT expires. */
async function tokenExpiry(context: BrowserContext) {
  const token = (await sessionCookie(context)).value;
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp * 1000;
}

/** The first device, still signed in after all that, logs out. */
async function logOut(laptop: Page, baseURL: string) {
  await laptop.goto('/dashboard');
  await laptop.getByRole('button', { name: 'Log out' }).click();
  await expect(laptop).toHaveURL(`${baseURL}/login?reason=logged-out`);
  await laptop.goto('/dashboard');
  await expect(laptop).toHaveURL(`${baseURL}/login?next=%2Fdashboard`);
}

for (const mode of MODES) {
  test(`${mode}: a protected page, a second device signed out from the first, and the mode's promise`, async ({ browser, baseURL }) => {
    const email = `${mode}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`;
    const first = await browser.newContext();
    const laptop = await first.newPage();
    await laptop.goto('/dashboard');
    await expect(laptop).toHaveURL(`${baseURL}/login?next=%2Fdashboard`);
    await logIn(laptop, 'Sign up', email, mode);
    await expect(laptop).toHaveURL(`${baseURL}/dashboard`);
    await expect(laptop.getByText(`Signed in with a ${mode} session`)).toBeVisible();

    const second = await browser.newContext();
    const phone = await second.newPage();
    await logIn(phone, 'Log in', email, mode);

    await laptop.getByRole('link', { name: 'Devices' }).click();
    await expect(laptop.getByTestId('device')).toHaveCount(2);
    await laptop.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(laptop.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);

    if (mode === 'stateful') {
      // Refused on its very next request: the row is read every time.
      await phone.goto('/dashboard');
      await expect(phone).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=signed-out-elsewhere`);
      await logOut(laptop, baseURL!);
    } else {
      // Reads on (no query per request), but cannot act: a write reads the row first.
      // Stateless: until the token and its cookie expire together. Hybrid: until its access token is
      // due for a refresh (the copy's leeway is 2 s), which is refused.
      const readUntilMs = mode === 'hybrid' ? (await tokenExpiry(second)) - 2000 : (await sessionCookie(second)).expires * 1000 + 1000;
      await phone.reload();
      await expect(phone.getByRole('heading', { name: 'Hello, Copy Tester' })).toBeVisible();
      const copied = await copyOf(browser, second);
      await copied.goto('/devices');
      await copied.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(copied).toHaveURL(`${baseURL}/login?next=${back('/devices')}&reason=signed-out-elsewhere`);
      await logOut(laptop, baseURL!);
      await phone.waitForTimeout(Math.max(0, readUntilMs - Date.now()) + 500);
      await phone.goto('/dashboard');
      // A stateless cookie expires with its token, so the browser has dropped it: just a visitor now.
      if (mode === 'stateless') expect(await second.cookies()).toEqual([]);
      const expected = mode === 'hybrid' ? `${baseURL}/login?next=%2Fdashboard&reason=signed-out-elsewhere` : `${baseURL}/login?next=%2Fdashboard`;
      await expect(phone).toHaveURL(expected);
    }
  });
}
