// What a new user meets first: the login page's demo accounts and notices, the dashboard's
// limits in each mode, the comparison page's article and lab timing, a styled 404 and an icon.
import { DashboardPage } from './pages/dashboard-page';
import { LoginPage } from './pages/login-page';
import { CLOCK_TOLERANCE_SECONDS } from '../playwright.config';
import { expect, test } from './fixtures';

test('the login page lists the seeded demo accounts, and one of them logs in', async ({ page, baseURL }) => {
  const login = new LoginPage(page);
  await login.goto();
  const demo = page.getByRole('region', { name: 'Demo accounts' });
  await expect(demo).toContainText('alice@example.com / alice-password (admin)');
  await expect(demo).toContainText('bob@example.com / bob-password (user)');
  // Seeing a sign-out takes the same account in two browsers, not one account in each: the box says so.
  await expect(demo).toContainText('To watch a device being signed out, log in as the same account in a second browser or a private window');
  await expect(login.notice()).toHaveCount(0);
  await login.login('bob@example.com', 'bob-password');
  await expect(page).toHaveURL(`${baseURL}/dashboard`);
  await new DashboardPage(page).expectSignedIn('Bob Example');
});

test('a signed-in visitor of the login page is told that logging in replaces the session', async ({ persona }) => {
  const page = await persona.signedInPage('stateful');
  const { account } = persona;
  await page.goto('/login?next=%2Fsettings');
  await expect(page.getByTestId('already-signed-in')).toHaveText(
    `You are signed in as ${account.name}. Logging in here replaces that session. Continue instead`,
  );
  await expect(page.getByTestId('already-signed-in').getByRole('link')).toHaveAttribute('href', '/settings');
  await expect(new LoginPage(page).notice()).toHaveCount(0);
  await expect(page.getByTestId('signed-in-as')).toHaveText(account.name);
  await page.goto('/signup');
  await expect(page.getByTestId('already-signed-in')).toHaveText(
    `You are signed in as ${account.name}. Signing up here replaces that session. Continue instead`,
  );
});

test('an anonymous visitor sent to log in is told why', async ({ page, baseURL }) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(`${baseURL}/login?next=%2Fsettings`);
  await expect(new LoginPage(page).notice()).toHaveText('Please log in to see that page.');
});

test('the stateful dashboard shows the idle limit beside the absolute one; the stateless one has none', async ({ persona }) => {
  const stateful = await persona.signedInPage('stateful');
  await stateful.goto('/dashboard');
  await expect(stateful.getByRole('main')).toContainText('Session ends at the latest in');
  await expect(stateful.getByTestId('token-countdown')).toHaveText(/^6 days 23:[0-5]\d:\d\d$/);
  await expect(stateful.getByTestId('idle-countdown')).toContainText(/ends after 30 minutes without a request: in (30:00|[12]\d:[0-5]\d)/);

  const stateless = await persona.signedInPage('stateless');
  await stateless.goto('/dashboard');
  await expect(stateless.getByRole('main')).toContainText('Token expires in');
  await expect(stateless.getByTestId('idle-countdown')).toHaveCount(0);
});

test('the dashboard never reads one request as a verdict: it gives the sample count or the spread', async ({ persona }) => {
  const page = await persona.signedInPage('stateless');
  await page.goto('/dashboard');
  await expect(page.getByTestId('session-check-context')).toHaveText(
    /^One sample(, and a noisy one: \d+ of the 100 stateless requests needed before this server shows a median\. See the benchmark on \/compare\.|\. This server's stateless checks: median .+, middle half .+–.+, p95 .+ over [\d,]+ requests\.)$/,
  );
});

test("the comparison page names the article and explains the lab's extra seconds", async ({ page }) => {
  await page.goto('/compare');
  await expect(page.locator('cite')).toHaveText('“JWT Session Token Implementation: Stateful vs. Stateless”');
  await expect(page.getByRole('main')).toContainText(`plus its clock tolerance of ${CLOCK_TOLERANCE_SECONDS} seconds`);
  await expect(page.getByRole('main')).toContainText(`expect about ${10 + CLOCK_TOLERANCE_SECONDS} seconds`);
});

test('an unknown address gets a styled 404 with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Home' })).toHaveAttribute('href', '/');
  await expect(page.getByRole('banner')).toBeVisible();
});

test('the app has a favicon', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
});

test('the home page explains all three modes of the header, in the words /compare uses', async ({ page }) => {
  await page.goto('/');
  const summaries = page.getByTestId('mode-summaries');
  await expect(summaries.getByRole('heading')).toHaveText(['stateless', 'stateful', 'hybrid']);
  await expect(summaries.getByRole('region', { name: 'hybrid' })).toContainText('a short access token (here 5 minutes), signed with Ed25519');
  const home = await summaries.locator('p').allTextContents();
  await page.getByRole('main').getByRole('link', { name: 'Compare them, measured on this server' }).click();
  await expect(page.getByRole('heading', { name: 'Stateless vs stateful, measured on this server' })).toBeVisible();
  expect(await page.getByTestId('mode-summaries').locator('p').allTextContents()).toEqual(home);
});
