// The comparison page: public, live numbers, a benchmark, the revocation lab, Server-Timing.
import { ComparePage } from './pages/compare-page';
import { expect, loginAs, test } from './fixtures';

const NUMBER_WITH_UNIT = /^\d+(\.\d+)? (µs|ms)$/;

test('loads for an anonymous visitor with measured token sizes and code sizes', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.goto();
  for (const key of ['performance', 'scalability', 'revocation', 'size', 'complexity', 'infrastructure']) {
    await expect(compare.row(key)).toBeVisible();
  }
  await expect(compare.row('size')).toContainText(/\d+ bytes \(\d+\.\d% of 4,096\)/);
  await expect(compare.row('size')).toContainText('✓ agrees');
  await expect(compare.row('complexity')).toContainText(/\d+ lines in lib\/session\/stateless\.ts/);
  await expect(compare.row('infrastructure')).toContainText(/sqlite .* answering in/);
  await expect(page.getByText('Log in to run the benchmark on this server.')).toBeVisible();
  await expect(page.getByTestId('anatomy-sealed')).toContainText(/\d+ bytes as a cookie/);
});

test('the benchmark shows numeric latencies for both modes and both floors', async ({ persona }) => {
  test.setTimeout(120_000);
  const page = await persona.signedInPage('stateful');
  const compare = new ComparePage(page);
  await compare.goto();
  await compare.runBenchmark();
  await compare.showBenchmarkTables();
  for (const label of [
    'Stateless check p50',
    'Stateless check p95',
    'Stateful check p50',
    'Stateful check p95',
    'Floor: raw HMAC p50',
    'Floor: raw lookup p50',
    'iron-session unseal p50',
  ]) {
    await expect(compare.benchmarkValue(label)).toHaveText(NUMBER_WITH_UNIT);
  }
  await expect(page.getByTestId('benchmark-results')).toContainText('Queries per check: stateless 0, stateful 1.');
  await expect(compare.row('performance')).toContainText(/p50 [\d.]+ (µs|ms)/);
  await expect(page.getByTestId('anatomy-sealed')).toContainText(/unsealing costs [\d.]+ (µs|ms)/);
});

test('the revocation lab: stateful refused at once, stateless accepted until exp', async ({ page, account }) => {
  test.setTimeout(90_000);
  await loginAs(page, account, 'stateless');
  const compare = new ComparePage(page);
  await compare.goto();
  await page.getByRole('button', { name: 'Start revocation lab' }).click();
  await expect(compare.labVerdict('stateful')).toHaveText('rejected');
  await expect(compare.labVerdict('stateless')).toHaveText('accepted');
  await expect(page.getByTestId('lab-stateful')).toContainText(/Refused \d+ ms after sign-out/);
  // Lab tokens live 10 s (plus the test server's 2 s clock tolerance).
  await expect(compare.labVerdict('stateless')).toHaveText('rejected', { timeout: 20_000 });
  await expect(compare.row('revocation')).toContainText('✓ agrees');
});

test('authenticated responses carry a Server-Timing header with the session check', async ({ persona }) => {
  for (const mode of ['stateless', 'stateful'] as const) {
    const page = await persona.signedInPage(mode);
    const response = await page.goto('/dashboard');
    const timing = response!.headers()['server-timing'];
    expect(timing).toMatch(new RegExp(`session;dur=[\\d.]+;desc="${mode}"`));
    expect(timing).toMatch(mode === 'stateless' ? /db;dur=0\.000;desc="0 queries"/ : /db;dur=[\d.]+;desc="1 query"/);
    const api = await page.request.get('/api/session');
    expect(api.headers()['server-timing']).toContain(`desc="${mode}"`);
  }
});

test('the benchmark and lab endpoints refuse anonymous and cross-origin callers', async ({ request, baseURL }) => {
  expect((await request.post(`${baseURL}/api/benchmark`, { headers: { origin: baseURL! } })).status()).toBe(401);
  expect((await request.post(`${baseURL}/api/lab`, { headers: { origin: 'https://evil.example' } })).status()).toBe(403);
  expect((await request.get(`${baseURL}/api/session`)).status()).toBe(401);
});
