// Accounts and sessions in both modes: sign up, log in, log out, protected pages, bad input.
import { DashboardPage } from './pages/dashboard-page';
import { LoginPage } from './pages/login-page';
import { SiteHeader } from './pages/site-header';
import { CHECK_QUERIES, DEMO, MODES, expect, loginAs, sessionCookie, test } from './fixtures';
import { SignupPage } from './pages/signup-page';

for (const mode of MODES) {
  test.describe(`${mode} mode`, () => {
    test('logs in and out', async ({ page, account }) => {
      await loginAs(page, account, mode);
      const payload = await new DashboardPage(page).payload();
      expect(payload.mode).toBe(mode);
      if (mode === 'stateless') expect(payload).toMatchObject({ name: account.name, role: 'user', jti: expect.any(String) });
      else if (mode === 'hybrid') expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'mode', 'name', 'role', 'sid', 'sub']);
      else expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'mode', 'sid']);
      await expect(page.getByTestId('session-check')).toContainText(CHECK_QUERIES[mode]);

      await new SiteHeader(page).logout();
      await expect(page).toHaveURL(/\/login\?reason=logged-out/);
      await expect(new LoginPage(page).notice()).toHaveText('You have been logged out.');
      await page.goto('/dashboard');
      await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
    });

    test('the session cookie is HttpOnly, SameSite=Lax, Secure and invisible to scripts', async ({ page, context, account }) => {
      await loginAs(page, account, mode);
      const session = await sessionCookie(context);
      expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      expect(session!.value.length).toBeLessThan(4096);
      expect(await page.evaluate(() => document.cookie)).not.toContain(session!.value);
      expect(await page.evaluate(() => document.cookie)).not.toContain('session');
      expect(await page.content()).not.toContain(session!.value);
    });
  });
}

test('a protected page sends an anonymous visitor to log in, then back', async ({ page }) => {
  await page.goto('/dashboard?from=test');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%3Ffrom%3Dtest/);
  await new LoginPage(page).login(DEMO.alice.email, DEMO.alice.password);
  await expect(page).toHaveURL(/\/dashboard\?from=test$/);
  await new DashboardPage(page).expectSignedIn(DEMO.alice.name);
});

test('after login, only same-origin paths are followed', async ({ page, account }) => {
  for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
    await page.context().clearCookies();
    await new LoginPage(page).goto(`?next=${encodeURIComponent(next)}`);
    await new LoginPage(page).login(account.email, account.password);
    await expect(page).toHaveURL('/dashboard');
  }
});

test('unknown email and wrong password give the same message, and keep the email', async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.login('nobody@example.com', 'whatever-password');
  await login.expectGenericError();
  await expect(page.getByLabel('Email')).toHaveValue('nobody@example.com');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await login.login(DEMO.alice.email, 'wrong-password');
  await login.expectGenericError();
});

test('sign-up validates fields and keeps what was typed, except the password', async ({ page }) => {
  const signup = new SignupPage(page);
  await signup.goto();
  await signup.signUp({ name: 'Carol', email: 'not-an-email', password: 'short' });
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('Use at least 8 characters')).toBeVisible();
  await signup.expectFieldValues({ name: 'Carol', email: 'not-an-email' });

  await signup.signUp({ name: 'Carol', email: DEMO.bob.email, password: 'long-enough-password' });
  await expect(page.getByText('An account with this email already exists')).toBeVisible();
});

test('sign-up logs the new user in', async ({ page }) => {
  const email = `carol-${Date.now()}@example.test`;
  const signup = new SignupPage(page);
  await signup.goto();
  await signup.signUp({ name: 'Carol', email, password: 'carol-password' });
  await new DashboardPage(page).expectSignedIn('Carol');
});

test('authenticated pages are not cached', async ({ page, account }) => {
  await loginAs(page, account, 'stateful');
  const response = await page.goto('/dashboard');
  expect(response!.headers()['cache-control']).toContain('no-store');
});

test("Back after logging out lands on the login page with the page to return to, and none of the router's parameters, even after a reload", async ({
  page,
  account,
  baseURL,
}) => {
  await loginAs(page, account, 'stateful');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
  await expect(page).toHaveURL(`${baseURL}/devices`);
  await new SiteHeader(page).logout();
  await page.goBack();
  await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdevices`);
  await page.reload();
  await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdevices`);
  await page.goBack();
  await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdashboard`);
});
