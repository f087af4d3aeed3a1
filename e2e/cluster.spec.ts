// `npm run demo:cluster`'s setting: two instances on one PostgreSQL behind a round-robin front
// door. Revocation made through one instance holds on the other at once; a database outage
// gives stateful requests a 503 (never a 500, never a fallback to the bare token) while
// stateless ones keep reading; everything recovers when the database returns.
//
// Browsers keep cookies per host, not per port, so one browser context holds one session on
// localhost:3201 (instance a), localhost:3202 (instance b) and localhost:3200 (the front door).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CLUSTER } from '../playwright.config';
import { expectAccessible } from './axe';
import { ComparePage } from './pages/compare-page';
import { LoginPage } from './pages/login-page';
import { DashboardPage } from './pages/dashboard-page';
import { DevicesPage } from './pages/devices-page';
import { SiteHeader } from './pages/site-header';
import { DEMO, USER_AGENTS, expect, loginAs, openDevice, sessionCookie, test } from './fixtures';

const INSTANCE_A = `http://localhost:${CLUSTER.a}`;
const INSTANCE_B = `http://localhost:${CLUSTER.b}`;
const FIREFOX = /Firefox 128 on Windows 10/;

/** The supervisor's outage controls (scripts/cluster.ts), with the token it wrote into the cluster's folder. */
async function control(path: '/postgres/stop' | '/postgres/start', query = '') {
  const { url, token } = JSON.parse(readFileSync(`${CLUSTER.dataDir}/control.json`, 'utf8')) as { url: string; token: string };
  const response = await fetch(`${url}${path}${query}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, `${path} answered`).toBe(200);
}

async function expectServedBy(page: Page, instance: 'a' | 'b') {
  await expect(new SiteHeader(page).servedBy()).toContainText(`Served by instance ${instance}`);
}

// The outage test stops the shared database; nothing else may run against it meanwhile.
test.describe.configure({ mode: 'serial' });

test("everything of the cluster's PostgreSQL lives in its CLUSTER_DATA_DIR folder, nothing beside it", () => {
  expect(readdirSync(CLUSTER.dataDir).sort()).toEqual(['control.json', 'password', 'pgdata']);
  expect(existsSync(`${CLUSTER.dataDir}/pgdata/PG_VERSION`)).toBe(true);
  expect(readdirSync('data').filter((name) => name.startsWith(`${CLUSTER.dataDir.split('/').pop()}.`))).toEqual([]);
});

test('the front door takes turns between the two instances, and every page names the one that served it', async ({ page, request }) => {
  // Bare requests, one at a time: a page load also fetches scripts and styles through the front
  // door, so which instance serves the next document depends on how many assets came before it.
  const turns: string[] = [];
  for (let i = 0; i < 4; i++) turns.push((await request.get('/login')).headers()['x-served-by']);
  expect(turns).toEqual(turns[0] === 'a' ? ['a', 'b', 'a', 'b'] : ['b', 'a', 'b', 'a']);

  for (let i = 0; i < 2; i++) {
    const response = await page.goto('/login');
    await expect(new SiteHeader(page).servedBy()).toContainText(`Served by instance ${response!.headers()['x-served-by']}`);
  }
  await expect(page.getByTestId('served-database')).toHaveText('postgresql');
});

test('each instance serves 64 concurrent signed-in stateful requests from its pool, without an error', async ({ page, account }) => {
  await loginAs(page, account, 'stateful');
  for (const instance of [INSTANCE_A, INSTANCE_B]) {
    const responses = await Promise.all(Array.from({ length: 64 }, () => page.request.get(`${instance}/api/session`)));
    expect(responses.map((response) => response.status())).toEqual(Array(64).fill(200));
    expect(new Set(responses.map((response) => response.headers()['x-served-by']))).toEqual(new Set([instance === INSTANCE_A ? 'a' : 'b']));
  }
});

test('a stateful device signed out through instance b is refused by instance a on its very next request', async ({ browser, account }) => {
  const laptop = await openDevice(browser, INSTANCE_A, USER_AGENTS.firefoxWindows);
  await loginAs(laptop, account, 'stateful');
  await expectServedBy(laptop, 'a');

  const phone = await openDevice(browser, INSTANCE_B, USER_AGENTS.safariIphone);
  await loginAs(phone, account, 'stateful');
  const devicesOnB = new DevicesPage(phone);
  await devicesOnB.goto();
  await expectServedBy(phone, 'b');

  // Both instances read the same rows: the same devices, the same count of active users.
  const devicesOnA = new DevicesPage(laptop);
  await devicesOnA.goto();
  await expect(devicesOnA.device(/Firefox 128 on Windows 10 \(this device\)/)).toBeVisible();
  const summary = (page: Page) => page.getByText(/You have \d+ active sessions?\./);
  await expect(summary(laptop)).toHaveText((await summary(phone).textContent())!);

  await devicesOnB.signOutStateful(FIREFOX);
  await laptop.goto('/dashboard');
  await expect(laptop).toHaveURL(`${INSTANCE_A}/login?next=%2Fdashboard&reason=signed-out-elsewhere`);
  await expect(summary(phone)).toHaveText(/You have 1 active session\./);
  await laptop.context().close();
  await phone.context().close();
});

test('a hybrid device signed out through instance a cannot refresh through instance b', async ({ browser, account }) => {
  const laptop = await openDevice(browser, INSTANCE_A, USER_AGENTS.firefoxWindows);
  await loginAs(laptop, account, 'hybrid');
  // Its refresh token works on the other instance: both share the rows and the signing keys.
  const refreshOn = async (instance: string) => {
    const response = await laptop.context().request.post(`${instance}/api/session/refresh`, { headers: { Origin: instance } });
    return { status: response.status(), reason: ((await response.json()) as { reason?: string }).reason };
  };
  expect(await refreshOn(INSTANCE_B)).toEqual({ status: 200, reason: undefined });
  await laptop.goto('/dashboard');
  await new DashboardPage(laptop).expectSignedIn(account.name, 'hybrid');

  const phone = await openDevice(browser, INSTANCE_A, USER_AGENTS.safariIphone);
  await loginAs(phone, account, 'stateful');
  const devices = new DevicesPage(phone);
  await devices.goto();
  await devices.signOut(FIREFOX);
  await expect(phone.getByText(/^Signed out\. That device’s refresh token is refused from now on/)).toBeVisible();

  expect(await refreshOn(INSTANCE_B)).toEqual({ status: 401, reason: 'signed-out-elsewhere' });
  await laptop.context().close();
  await phone.context().close();
});

test('a signed-out stateless device still reads through both instances, but cannot act', async ({ browser, account }) => {
  const laptop = await openDevice(browser, INSTANCE_A, USER_AGENTS.firefoxWindows);
  await loginAs(laptop, account, 'stateless');
  const phone = await openDevice(browser, INSTANCE_B, USER_AGENTS.safariIphone);
  await loginAs(phone, account, 'stateful');
  const devices = new DevicesPage(phone);
  await devices.goto();
  await devices.signOut(FIREFOX);
  await expect(devices.device(FIREFOX)).toContainText('Signed out from another device.');

  for (const instance of [INSTANCE_A, INSTANCE_B]) {
    await laptop.goto(`${instance}/dashboard`);
    await new DashboardPage(laptop).expectSignedIn(account.name, 'stateless');
  }
  // Acting (here: switching mode) reads the row first, on whichever instance gets the request.
  await laptop.getByRole('button', { name: 'Switch to stateful' }).click();
  await expect(laptop).toHaveURL(`${INSTANCE_B}/login?next=%2Fdashboard&reason=signed-out-elsewhere`);
  expect(await sessionCookie(laptop.context())).toBeUndefined();
  await laptop.context().close();
  await phone.context().close();
});

test('with the database stopped, stateful requests get 503 and stateless ones keep reading; both recover when it returns', async ({
  browser,
  account,
  baseURL,
}) => {
  const stateful = await openDevice(browser, baseURL!, USER_AGENTS.firefoxWindows);
  await loginAs(stateful, account, 'stateful');
  const stateless = await openDevice(browser, baseURL!, USER_AGENTS.safariIphone);
  await loginAs(stateless, account, 'stateless');

  // Bounded: the supervisor starts PostgreSQL again after 10 s (its longest outage) whatever happens here.
  await control('/postgres/stop', '?ms=10000');
  try {
    for (const instance of [INSTANCE_A, INSTANCE_B]) {
      const page = await stateful.goto(`${instance}/dashboard`);
      expect(page!.status()).toBe(503);
      expect(page!.headers()['retry-after']).toBe('5');
      await expect(stateful.getByRole('heading', { name: 'The session store is unreachable' })).toBeVisible();
      await expect(stateful.getByRole('alert').filter({ hasText: 'Nothing was signed out' })).toBeVisible();
      // The outage page brings its own navigation (the header would need the database), and speaks of every mode.
      await expect(stateful.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare' })).toHaveAttribute('href', '/compare');
      await expect(stateful.getByRole('alert').filter({ hasText: 'A stateless or hybrid session still reads pages' })).toBeVisible();
      if (instance === INSTANCE_A) await expectAccessible(stateful, 'the 503 page');

      const api = await stateful.request.get(`${instance}/api/session`);
      expect(api.status()).toBe(503);
      expect(await api.json()).toEqual({ error: 'The session store is unreachable; try again in a few seconds.', reason: 'store-unavailable' });

      const read = await stateless.goto(`${instance}/dashboard`);
      expect(read!.status()).toBe(200);
      await new DashboardPage(stateless).expectSignedIn(account.name, 'stateless');
      expect((await stateless.request.get(`${instance}/api/session`)).status()).toBe(200);
    }
    // A write needs the row, in either mode: the stateless device's mode switch answers 503 too.
    const write = stateless.waitForResponse((r) => r.request().method() === 'POST');
    await stateless.getByRole('button', { name: 'Switch to stateful' }).click();
    expect((await write).status()).toBe(503);
    await expect(stateless.getByRole('heading', { name: 'The session store is unreachable' })).toBeVisible();
    // Refused, not signed out: the browsers keep their cookies for when the database is back.
    expect(await sessionCookie(stateful.context())).toBeDefined();
    expect(await sessionCookie(stateless.context())).toBeDefined();
  } finally {
    await control('/postgres/start');
  }

  for (const instance of [INSTANCE_A, INSTANCE_B]) {
    await stateful.goto(`${instance}/dashboard`);
    await new DashboardPage(stateful).expectSignedIn(account.name, 'stateful');
    await stateless.goto(`${instance}/devices`);
    await expect(new DevicesPage(stateless).device(/Safari 17 on iOS 17 \(this device\)/)).toBeVisible();
  }
  await stateful.context().close();
  await stateless.context().close();
});

test('the benchmark runs against PostgreSQL, its raw-lookup floor a round trip over loopback, and says so', async ({ page, account }) => {
  test.setTimeout(120_000);
  await loginAs(page, account, 'stateful');
  const compare = new ComparePage(page);
  await compare.goto();
  await compare.runBenchmark();
  await expect(page.getByTestId('benchmark-results')).toContainText(
    new RegExp(
      `, instance [ab] of 2 · database postgresql \\(127\\.0\\.0\\.1:${CLUSTER.postgres}/jwt_sessions\\)\\. Queries per check: stateless 0, stateful 1\\.`,
    ),
  );
  await compare.showBenchmarkTables();
  await expect(compare.benchmarkValue('Floor: raw lookup p50')).toHaveText(/^\d+(\.\d+)? (µs|ms)$/);
});

test('the outage drill on /compare measures who was served while the database was down; only an admin may run it', async ({ page, account }) => {
  await loginAs(page, account, 'stateful');
  await new ComparePage(page).goto();
  await expect(page.getByTestId('drill-admins-only')).toContainText('only an admin may run it');
  const refused = await page.request.post('/api/drill', { headers: { origin: `http://localhost:${CLUSTER.frontDoor}` } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: 'The outage drill stops the shared database, so only an admin may run it.' });

  await loginAs(page, DEMO.alice, 'stateful');
  const compare = new ComparePage(page);
  await compare.goto();
  await expect(page.getByTestId('measured-on')).toHaveText(
    new RegExp(`^Measured on instance [ab] of 2, database postgresql \\(127\\.0\\.0\\.1:${CLUSTER.postgres}/jwt_sessions\\)\\.`),
  );
  await compare.runOutageDrill();

  // Columns: stateless, stateful, hybrid.
  await expect(compare.drillPhase('before')).toHaveText([/^(\d+) of \1 served$/, /^(\d+) of \1 served$/, /^(\d+) of \1 served$/]);
  // Every stateless and hybrid read was served; every stateful request was refused with 503, none trusted.
  await expect(compare.drillPhase('during')).toHaveText([/^(\d+) of \1 served$/, /^0 of (\d+) served, \1 answered 503$/, /^(\d+) of \1 served$/]);
  // A hybrid refresh needs the row: none during the outage, and it works again after.
  await expect(page.getByTestId('drill-refresh')).toHaveText(
    /^Hybrid refreshes: during the outage 0 of (\d+) served, \1 answered 503; after it (\d+) of \2 served\./,
  );
  await expect(page.getByTestId('drill-recovery')).toHaveText(
    /^Stateful requests served again after the database returned: instance a after \d+ ms, instance b after \d+ ms, with no restart\.$/,
  );
  await expect(compare.row('infrastructure')).toContainText('✓ agrees');
  await expect(compare.row('infrastructure')).toContainText(/During a 3\.0 s database outage: 0 of \d+ served, \d+ answered 503\./);
});

test('login throttling holds across the instances: failures through a and b count against one account', async ({ browser, account }) => {
  const attackers = [await openDevice(browser, INSTANCE_A, USER_AGENTS.firefoxWindows), await openDevice(browser, INSTANCE_B, USER_AGENTS.firefoxWindows)];
  const status = async (page: Page, password: string) => {
    const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
    await new LoginPage(page).login(account.email, password);
    const result = (await response).status();
    await expect(page.getByLabel('Password')).toHaveValue('');
    return result;
  };
  for (const page of attackers) await new LoginPage(page).goto();
  // THROTTLE_LOGIN_FAILURES_PER_ACCOUNT (10) failures, alternating between the instances.
  for (let i = 0; i < 10; i++) expect(await status(attackers[i % 2], `wrong-${i}`)).toBe(200);
  for (const page of attackers) {
    expect(await status(page, account.password)).toBe(429);
    await expect(page.getByText(/^Too many failed sign-ins for this account\./)).toBeVisible();
  }
  for (const page of attackers) await page.context().close();
});
