// The "Try it" path: each experiment walked in each mode, with a second browser where it needs
// one, asserting what the server itself detected at each step.
import { DevicesPage } from './pages/devices-page';
import { LoginPage } from './pages/login-page';
import { SiteHeader, type Mode } from './pages/site-header';
import { TryPage } from './pages/try-page';
import { expect, loginAs, test } from './fixtures';

const FIREFOX = /Firefox 128 on Windows 10/;
const MODES: Mode[] = ['stateless', 'stateful', 'hybrid'];

test('signed out, the five experiments are there with their steps, and each asks to log in for its checks', async ({ page, baseURL }) => {
  const tryPage = new TryPage(page);
  await tryPage.goto();
  const experiments = page.getByRole('navigation', { name: 'Experiments' }).getByRole('link');
  await expect(experiments).toHaveText([
    'Sign a second device out',
    'Someone stole your cookie',
    'Switch modes and see what the token carries',
    'The database goes away',
    'What each mode costs a request',
  ]);
  for (const link of await experiments.all()) await expect(page.locator(`${await link.getAttribute('href')}`)).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Log in', exact: true })).toHaveCount(5);
  await page.locator('#stolen-cookie').getByRole('link', { name: 'Log in' }).click();
  await expect(page).toHaveURL(`${baseURL}/login?next=%2Ftry%23stolen-cookie`);
});

test('the home page and /compare lead to the experiments', async ({ page, baseURL }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Start here: five experiments to try' }).click();
  await expect(page).toHaveURL(`${baseURL}/try`);
  await page.goto('/compare');
  await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Five experiments to try' }).click();
  await expect(page).toHaveURL(`${baseURL}/try`);
});

for (const mode of MODES) {
  test(`${mode}: a second device signs in, this one signs it out, and the checks follow without a reload`, async ({ page, secondDevice, account, baseURL }) => {
    await loginAs(page, account, mode);
    const tryPage = new TryPage(page);
    await tryPage.goto('#second-device');
    await tryPage.expectNotYet('second-signed-in', 'No second device of yours is signed in yet.');

    await loginAs(secondDevice, account, mode);
    // The page refreshes its checks by itself.
    await tryPage.expectSeen(
      'second-signed-in',
      new RegExp(`A second device of yours is signed in: Firefox 128 on Windows 10, ${mode}, since \\d\\d:\\d\\d:\\d\\d UTC\\.`),
    );
    await tryPage.expectNotYet('second-signed-out', 'You have not signed a device out yet.');

    const devices = new DevicesPage(page);
    await devices.goto();
    await devices.signOut(FIREFOX);
    await expect(page.getByText(/^Signed out\. That device’s/)).toBeVisible();
    await tryPage.goto('#second-device');
    await tryPage.expectSeen(
      'second-signed-out',
      mode === 'stateful'
        ? /^You signed a stateful device out at \d\d:\d\d:\d\d UTC\. Its next request is refused: the server reads its row on every request\.$/
        : new RegExp(`You signed a ${mode} device out at \\d\\d:\\d\\d:\\d\\d UTC\\. Its token still reads until \\d\\d:\\d\\d:\\d\\d UTC`),
    );

    // What the other window sees: stateful is out at once; the others read on but cannot act.
    await secondDevice.goto('/dashboard');
    if (mode === 'stateful') {
      await expect(secondDevice).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=signed-out-elsewhere`);
      return;
    }
    await expect(secondDevice).toHaveURL(`${baseURL}/dashboard`);
    await new SiteHeader(secondDevice).currentMode().waitFor();
    await secondDevice.getByRole('button', { name: `Switch to ${mode === 'hybrid' ? 'stateless' : 'stateful'}` }).click();
    await expect(secondDevice).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=signed-out-elsewhere`);
  });

  test(`${mode}: the lab steals a copy of the session; after the sign-out the thief ${mode === 'stateful' ? 'is refused at once' : 'reads on but cannot act'}`, async ({
    page,
    account,
    baseURL,
  }) => {
    await loginAs(page, account, mode);
    const tryPage = new TryPage(page);
    await tryPage.goto('#stolen-cookie');
    await tryPage.expectNotYet('stolen', 'The lab has not copied a session of yours yet.');
    await tryPage.stealCopy();
    await tryPage.expectSeen('stolen', new RegExp(`The lab copied your ${mode} session at \\d\\d:\\d\\d:\\d\\d UTC`));
    await tryPage.expectSeen('thief-reads', /^The thief could read your data \(HTTP 200 at \d\d:\d\d:\d\d UTC\)\.$/);
    await tryPage.expectSeen('thief-acts', /^The thief could act as you \(HTTP 200 at \d\d:\d\d:\d\d UTC\)\.$/);

    await tryPage.signOutStolenSession();
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Ftry%23stolen-cookie&reason=logged-out`);
    await new LoginPage(page).login(account.email, account.password);
    await expect(page).toHaveURL(`${baseURL}/try#stolen-cookie`);

    await tryPage.expectSeen('signed-out', /^You signed that session out at \d\d:\d\d:\d\d UTC\.$/);
    const at = String.raw`HTTP 401 at \d\d:\d\d:\d\d UTC\. [\d,]+ ms after your sign-out\.$`;
    await tryPage.expectSeen('thief-act-after', new RegExp(String.raw`^The thief's attempt to act as you was refused: revoked \(logged-out\), ${at}`));
    if (mode === 'stateful') {
      await tryPage.expectSeen('thief-read-after', new RegExp(String.raw`^The thief's attempt to read your data was refused: revoked \(logged-out\), ${at}`));
      await expect(tryPage.check('thief-refresh-after')).toHaveCount(0);
      return;
    }
    await tryPage.expectSeen(
      'thief-read-after',
      /^After your sign-out the thief could still read your data \(HTTP 200 at \d\d:\d\d:\d\d UTC\)\. Its copy reads until the token's exp, \d\d:\d\d:\d\d UTC\./,
    );
    if (mode === 'hybrid') {
      await tryPage.expectSeen(
        'thief-refresh-after',
        new RegExp(String.raw`^The thief's attempt to refresh your session was refused: revoked \([a-z-]+\), ${at}`),
      );
    } else {
      await expect(tryPage.check('thief-refresh-after')).toHaveCount(0);
    }
  });

  test(`${mode}: the token line says what this browser's token carries`, async ({ persona }) => {
    const page = await persona.signedInPage(mode);
    const tryPage = new TryPage(page);
    await tryPage.goto('#token');
    const carries = {
      stateless: /^Your browser holds a stateless token: HS256, \d+ bytes as a cookie, carrying your name and role\.$/,
      stateful: /^Your browser holds a stateful token: HS256, \d+ bytes as a cookie, carrying no name or role, only a session id\.$/,
      hybrid: /^Your browser holds a hybrid token: EdDSA with kid \S{8}…, \d+ bytes as a cookie, carrying your name and role\.$/,
    };
    await tryPage.expectSeen('token-mode', carries[mode]);
  });

  test(`${mode}: the cost line shows this page's own check and what a median needs`, async ({ persona }) => {
    const page = await persona.signedInPage(mode);
    const tryPage = new TryPage(page);
    await tryPage.goto('#cost');
    const queries = mode === 'stateful' ? '1 query' : '0 queries';
    await tryPage.expectSeen(
      'check-cost',
      new RegExp(
        `^This page's session check took [\\d.,]+ (µs|ms) with ${queries}; (this mode's median over the last [\\d,]+ checks is .+|one sample means little: this mode has \\d+ of the 100 checks a median needs)\\.$`,
      ),
    );
  });
}
