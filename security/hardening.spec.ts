// Security hardening, proved over HTTP and in the browser: redirects that keep the browser's
// origin, cross-origin posts refused before Next.js decodes them, security headers, one cookie
// reading for proxy and data-access layer, one lab per user, and a revoked row that stops writes.
import type { APIResponse, Page } from '@playwright/test';
import { DashboardPage } from '../e2e/pages/dashboard-page';
import { DevicesPage } from '../e2e/pages/devices-page';
import { LoginPage } from '../e2e/pages/login-page';
import { SiteHeader } from '../e2e/pages/site-header';
import { MODES, SESSION_COOKIE, createAccount, expect, loginAs, sessionCookie as heldSessionCookie, test } from '../e2e/fixtures';
import { SettingsPage } from '../e2e/pages/settings-page';
import { serverActions } from './support';

const COOKIE = SESSION_COOKIE;
const BOGUS_ACTION_ID = '0000000000000000000000000000000000000000';
// The fixture's first browser is Playwright's Desktop Chrome; the second device is Firefox.
const FIRST_BROWSER = /^Chrome \d+ on Windows/;
const SIGNED_OUT_ELSEWHERE = 'You were signed out from another device.';

/** A redirect with a relative Location: never the server's bind address, never another origin. */
function expectRedirect(response: APIResponse, status: number, location: string) {
  const actual = response.headers()['location'];
  expect(response.status()).toBe(status);
  expect(actual, 'the Location header leaks the bind address').not.toContain('0.0.0.0');
  expect(actual).toBe(location);
}

function setCookies(response: APIResponse) {
  return response
    .headersArray()
    .filter((header) => header.name.toLowerCase() === 'set-cookie')
    .map((header) => header.value);
}

function sessionCookie(page: Page) {
  return heldSessionCookie(page.context());
}

async function changePassword(page: Page, current: string, next: string) {
  const settings = new SettingsPage(page);
  await settings.goto();
  await settings.changePassword(current, next);
}

function headerLoginLink(page: Page) {
  return page.getByRole('banner').getByRole('link', { name: 'Log in' });
}

test.describe("redirects keep the browser's origin", () => {
  test('a rejected cookie is cleared on the way to login, with a relative Location', async ({ request }) => {
    const response = await request.get('/session/clear?next=%2Fdashboard&reason=signed-out-elsewhere', {
      headers: { cookie: `${COOKIE}=a.b.c` },
      maxRedirects: 0,
    });
    expectRedirect(response, 303, '/login?next=%2Fdashboard&reason=signed-out-elsewhere');
    expect(setCookies(response).some((value) => value.startsWith(`${COOKIE}=;`) && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(value))).toBe(true);
  });

  test('an unknown reason is dropped from the login redirect', async ({ request }) => {
    const response = await request.get('/session/clear?next=%2Fdashboard&reason=%3Cscript%3E', { headers: { cookie: `${COOKIE}=a.b.c` }, maxRedirects: 0 });
    expectRedirect(response, 303, '/login?next=%2Fdashboard');
  });

  test('the proxy sends an anonymous visitor to login with a relative Location, query kept', async ({ request }) => {
    const response = await request.get('/dashboard?x=1', { maxRedirects: 0 });
    expectRedirect(response, 307, '/login?next=%2Fdashboard%3Fx%3D1');
  });

  test("an anonymous visitor of /devices ends on this origin's login page", async ({ page, baseURL }) => {
    await page.goto('/devices');
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdevices`);
  });

  test("a visitor with a bad cookie ends on this origin's login page, told why, cookie cleared", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: COOKIE, value: 'a.b.c', domain: new URL(baseURL!).hostname, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=invalid`);
    await expect(new LoginPage(page).notice()).toHaveText('Your session was not valid. Please log in again.');
    expect(await sessionCookie(page)).toBeUndefined();
  });
});

test.describe('cross-origin posts to pages', () => {
  const PAGES = ['/login', '/devices', '/dashboard', '/'];

  test('are refused with 403, with or without a server action id', async ({ request, baseURL }) => {
    const otherPort = new URL(baseURL!);
    otherPort.port = '9999';
    const senders: { name: string; headers: Record<string, string>; data?: string }[] = [
      { name: 'Origin: https://evil.example', headers: { origin: 'https://evil.example' } },
      { name: 'Origin: null', headers: { origin: 'null' } },
      { name: `Origin: ${otherPort.origin}`, headers: { origin: otherPort.origin } },
      {
        name: 'a cross-site form',
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
        data: 'email=a%40b.c&password=x',
      },
    ];
    const results: { request: string; status: number }[] = [];
    for (const path of PAGES) {
      for (const sender of senders) {
        for (const action of [undefined, BOGUS_ACTION_ID]) {
          const headers = { ...sender.headers, ...(action ? { 'next-action': action } : {}) };
          const response = await request.post(path, { headers, data: sender.data, maxRedirects: 0 });
          results.push({ request: `POST ${path} from ${sender.name}${action ? ' with Next-Action' : ''}`, status: response.status() });
        }
      }
    }
    expect(results).toEqual(results.map(({ request: name }) => ({ request: name, status: 403 })));
  });

  test('a same-origin post with a bogus action and a malformed body gets a 4xx, never a 500', async ({ request, baseURL }) => {
    const bodies: { name: string; contentType: string; data: string }[] = [
      { name: 'text that is not JSON', contentType: 'text/plain;charset=UTF-8', data: 'not json{' },
      {
        name: 'multipart without a boundary',
        contentType: 'multipart/form-data',
        data: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
      },
      { name: '10,000 arguments', contentType: 'text/plain;charset=UTF-8', data: JSON.stringify(Array.from({ length: 10_000 }, (_, i) => i)) },
    ];
    for (const path of PAGES) {
      for (const body of bodies) {
        const response = await request.post(path, {
          headers: { origin: baseURL!, 'next-action': BOGUS_ACTION_ID, 'content-type': body.contentType },
          data: body.data,
          maxRedirects: 0,
        });
        const label = `POST ${path} with ${body.name}`;
        expect(response.status(), label).toBeGreaterThanOrEqual(400);
        expect(response.status(), label).toBeLessThan(500);
      }
    }
  });
});

test('every form action of the build, called same-origin with arguments that are not a form, answers 400, never 500', async ({ persona, baseURL, request }) => {
  const page = await persona.signedInPage('stateful');
  const cookie = `${COOKIE}=${(await sessionCookie(page))!.value}`;
  // logout takes no arguments at all; every other action is a form's.
  const actions = serverActions().filter((action) => action.name !== 'logout');
  const results: { request: string; status: number }[] = [];
  for (const action of actions) {
    for (const body of ['[]', '[null,1]', '[{},"x"]']) {
      const response = await request.post(action.page, {
        headers: { origin: baseURL!, cookie, 'next-action': action.id, 'content-type': 'text/plain;charset=UTF-8' },
        data: body,
        maxRedirects: 0,
      });
      results.push({ request: `${action.name}(${body.slice(1, -1)})`, status: response.status() });
    }
  }
  expect(results).toEqual(results.map(({ request: name }) => ({ request: name, status: 400 })));
  // "Sign out everywhere" and the mode switch were among them: the session is as it was.
  expect((await request.get('/api/session', { headers: { cookie } })).status()).toBe(200);
});

test('every page, signed in or not, the 404 page and the API carry the security headers', async ({ persona, request }) => {
  const expectSecurityHeaders = (response: APIResponse, label: string) => {
    const headers = response.headers();
    expect(headers['content-security-policy'], label).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options'], label).toBe('nosniff');
    expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
  };
  for (const path of ['/', '/login', '/signup', '/compare']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expectSecurityHeaders(response, path);
  }
  const missing = await request.get('/no-such-page', { maxRedirects: 0 });
  expect(missing.status()).toBe(404);
  expectSecurityHeaders(missing, '/no-such-page');
  // An API answer renders no script: the strictest policy, with no nonce.
  const api = await request.get('/api/session', { maxRedirects: 0 });
  expectSecurityHeaders(api, '/api/session');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");

  const page = await persona.signedInPage('stateful');
  const dashboard = await page.request.get('/dashboard', { maxRedirects: 0 });
  expect(dashboard.status()).toBe(200);
  expectSecurityHeaders(dashboard, '/dashboard signed in');
});

for (const mode of MODES) {
  test(`${mode}: a percent-encoded session cookie is refused by the proxy and the data-access layer alike`, async ({ persona, request }) => {
    const page = await persona.signedInPage(mode);
    const token = (await sessionCookie(page))!.value;
    const encoded = token.replace('.', '%2E');
    expect(encoded).not.toBe(token);

    const valid = { headers: { cookie: `${COOKIE}=${token}` }, maxRedirects: 0 };
    expect((await request.get('/api/session', valid)).status()).toBe(200);
    expect((await request.get('/dashboard', valid)).status()).toBe(200);

    const tampered = { headers: { cookie: `${COOKIE}=${encoded}` }, maxRedirects: 0 };
    expect((await request.get('/api/session', tampered)).status()).toBe(401);
    expectRedirect(await request.get('/dashboard', tampered), 307, '/login?next=%2Fdashboard&reason=invalid');
  });
}

test('a user runs one revocation lab at a time; another user can start theirs meanwhile', async ({ page, secondDevice, account, browser, baseURL }) => {
  await loginAs(page, account, 'stateful');
  const first = await page.request.post('/api/lab', { headers: { origin: baseURL! }, maxRedirects: 0 });
  expect(first.status()).toBe(201);
  const second = await page.request.post('/api/lab', { headers: { origin: baseURL! }, maxRedirects: 0 });
  expect(second.status()).toBe(429);
  expect((await second.json()).error).toContain('already running');

  const other = await createAccount(browser, baseURL!);
  await loginAs(secondDevice, other, 'stateful');
  const theirs = await secondDevice.request.post('/api/lab', { headers: { origin: baseURL! }, maxRedirects: 0 });
  expect(theirs.status()).toBe(201);
});

test.describe('stateless: the token is enough to read, the row decides whether it may act', () => {
  test('a stolen token still reads after its owner logs out, but cannot switch mode: the thief is logged out', async ({ page, account, browser, baseURL }) => {
    await loginAs(page, account, 'stateless');
    const stolen = (await sessionCookie(page))!;
    const thiefContext = await browser.newContext({ baseURL });
    await thiefContext.addCookies([stolen]);
    const thief = await thiefContext.newPage();

    await new SiteHeader(page).logout();
    await expect(page).toHaveURL(`${baseURL}/login?reason=logged-out`);

    const read = await thief.goto('/dashboard');
    expect(read!.status()).toBe(200);
    await new DashboardPage(thief).expectSignedIn(account.name, 'stateless');

    await thief.getByRole('button', { name: 'Switch to stateful' }).click();
    await expect(thief).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=logged-out`);
    await expect(new LoginPage(thief).notice()).toHaveText('You have been logged out.');
    expect(await sessionCookie(thief)).toBeUndefined();
    await thiefContext.close();
  });

  test('over HTTP, a logged-out stateless token still answers /api/session but cannot start a lab', async ({ page, request, account, baseURL }) => {
    await loginAs(page, account, 'stateless');
    const cookie = `${COOKIE}=${(await sessionCookie(page))!.value}`;
    await new SiteHeader(page).logout();
    await expect(page).toHaveURL(`${baseURL}/login?reason=logged-out`);

    expect((await request.get('/api/session', { headers: { cookie }, maxRedirects: 0 })).status()).toBe(200);
    expect((await request.post('/api/lab', { headers: { cookie, origin: baseURL! }, maxRedirects: 0 })).status()).toBe(401);
  });

  test('after a password change on another device, the stateless device still reads but switching mode logs it out', async ({
    page,
    secondDevice,
    account,
    baseURL,
  }) => {
    await loginAs(page, account, 'stateless');
    await loginAs(secondDevice, account, 'stateful');
    await changePassword(secondDevice, account.password, 'a-brand-new-password');
    await expect(secondDevice.getByText(/Password changed\. 1 other session was signed out/)).toBeVisible();

    await page.reload();
    await new DashboardPage(page).expectSignedIn(account.name, 'stateless');
    await page.getByRole('button', { name: 'Switch to stateful' }).click();
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdashboard&reason=password-changed`);
    await expect(new LoginPage(page).notice()).toHaveText('Your password was changed on another device. Please log in again.');
    expect(await sessionCookie(page)).toBeUndefined();
  });
});

test.describe('a stale tab signed out from another device', () => {
  test('acting on the open devices page lands on login, with the notice and an anonymous header', async ({ page, secondDevice, account, baseURL }) => {
    await loginAs(page, account, 'stateful');
    await loginAs(secondDevice, account, 'stateful');
    const staleDevices = new DevicesPage(page);
    await staleDevices.goto();

    const otherDevices = new DevicesPage(secondDevice);
    await otherDevices.goto();
    await otherDevices.signOutStateful(FIRST_BROWSER);

    await page.getByRole('button', { name: 'Sign out all other devices' }).click();
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdevices&reason=signed-out-elsewhere`);
    await expect(new LoginPage(page).notice()).toHaveText(SIGNED_OUT_ELSEWHERE);
    await expect(headerLoginLink(page)).toBeVisible();
    await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  });

  test("following the header's Devices link from an open dashboard lands on login, without the user's name", async ({
    page,
    secondDevice,
    account,
    baseURL,
  }) => {
    await loginAs(page, account, 'stateful');
    await loginAs(secondDevice, account, 'stateful');

    const otherDevices = new DevicesPage(secondDevice);
    await otherDevices.goto();
    await otherDevices.signOutStateful(FIRST_BROWSER);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Fdevices&reason=signed-out-elsewhere`);
    await expect(new LoginPage(page).notice()).toHaveText(SIGNED_OUT_ELSEWHERE);
    await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
    await expect(page.getByText(account.name)).toHaveCount(0);
  });

  test('starting the revocation lab from an open comparison page lands on login with the notice', async ({ page, secondDevice, account, baseURL }) => {
    await loginAs(page, account, 'stateful');
    await loginAs(secondDevice, account, 'stateful');
    await page.goto('/compare');

    const otherDevices = new DevicesPage(secondDevice);
    await otherDevices.goto();
    await otherDevices.signOutStateful(FIRST_BROWSER);

    await page.getByRole('button', { name: 'Start revocation lab' }).click();
    await expect(page).toHaveURL(`${baseURL}/login?next=%2Fcompare&reason=signed-out-elsewhere`);
    await expect(new LoginPage(page).notice()).toHaveText(SIGNED_OUT_ELSEWHERE);
    await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
    expect(await sessionCookie(page)).toBeUndefined();
  });
});
