// `npm run bench --smoke`, the way a reader runs it: it starts its own throwaway servers and
// PostgreSQL, prints its table, and stores the run where /compare shows it. This proves the
// command works end to end, not a speed: a smoke run's numbers mean little, and the page says so.
import { execFileSync, spawn } from 'node:child_process';
import { ComparePage } from './pages/compare-page';
import { expect, test } from './fixtures';

/** The command's output, once it exits (with the server's database as the one it stores into). */
function runBench(args: string[]) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['run', 'bench', '--', ...args], {
      // The main e2e server's database, so its /compare shows the stored run.
      env: { ...process.env, DATABASE_URL: 'file:./data/e2e.db' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('npm run bench --smoke prints the table with its targets, and /compare shows the stored run', async ({ page }) => {
  test.setTimeout(240_000);
  // --no-build: the test servers are running on this build; rebuilding it under them would break them.
  const { code, output } = await runBench(['--smoke', '--no-build']);
  expect(code, output).toBe(0);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  expect(output).toContain('npm run bench --smoke (a smoke run: the numbers mean little)');
  expect(output).toContain(`commit ${commit}`);
  for (const line of [
    'SQLite: in-process, per check: p50 (p25–p75), p95',
    'SQLite: GET /api/session over HTTP, fast path: req/s and ratios, median (p25–p75) of 2 rounds',
    'SQLite: GET /api/session over HTTP, core path (jose, Prisma): req/s and ratios, median (p25–p75) of 2 rounds',
    'SQLite: what the fast path buys (medians): the lean verifier',
    'PostgreSQL: in-process, per check: p50 (p25–p75), p95',
    'PostgreSQL: GET /api/session over HTTP, fast path: req/s and ratios, median (p25–p75) of 2 rounds',
    'PostgreSQL: GET /api/session over HTTP, core path (jose, Prisma): req/s and ratios, median (p25–p75) of 2 rounds',
    'Targets',
  ]) {
    expect(output).toContain(line);
  }
  // The statements are counted, not timed: these hold on any machine, smoke run or not.
  expect(output).toMatch(
    /SQLite: statements per 1,000 requests \(20 sessions, last active over a minute ago\): stateless 0 reads, 0 writes; stateful 1000 reads, 200 writes\. Counted by the server over HTTP: stateless 0, stateful 1000\./,
  );
  expect(output).toMatch(/stored as run [\w-]{22} for \/compare/);
  // The bare Next.js route it is measured against, and the absolute rates judged against it.
  expect(output).toMatch(/\na bare Next\.js route \(bench\/baseline\) +[\d,]+ \([\d,]+–[\d,]+\) +1\n/);
  expect(output).toMatch(/\nSQLite: HTTP anonymous ÷ a bare Next\.js route +≥ 0\.85 +\d\.\d{3} \([^)]*\); [\d,]+ against [\d,]+ req\/s +(met|MISSED)\n/);

  const compare = new ComparePage(page);
  await compare.goto();
  // Above the details: what a whole request costs, per mode, beside the check's microseconds.
  await expect(page.getByTestId('whole-request')).toContainText(
    /^A whole request \(SQLite, npm run bench of \d{4}-\d\d-\d\d \d\d:\d\d UTC, a smoke run whose numbers mean little\): anonymous requests are served at [\d,]+\/s, about [\d.]+ (µs|ms) of the server each/,
  );
  await expect(page.getByTestId('whole-request')).toContainText(/stateful \d\.\d{3} \(\d\.\d{3}–\d\.\d{3}\), -?\d+% more time/);
  await expect(page.getByTestId('whole-request')).toContainText('A few per cent, not times more.');
  const run = page.getByTestId('cli-bench');
  await expect(run).toContainText(`commit ${commit}`);
  await expect(run).toContainText('A smoke run (npm test runs it to prove the command works): its numbers mean little.');
  await expect(page.getByTestId('cli-bench-sqlite').getByRole('row', { name: /^signed in, stateful/ })).toContainText(
    /^signed in, stateful[\d,]+ \([\d,]+–[\d,]+\)\d\.\d{3} \(/,
  );
  // The core path's req/s and ratio follow the fast path's in the same row.
  await expect(page.getByTestId('cli-bench-sqlite').getByRole('row', { name: /^signed in, stateful/ })).toContainText(
    /\)[\d,]+ \([\d,]+–[\d,]+\)\d\.\d{3} \([^)]*\)$/,
  );
  await expect(page.getByTestId('cli-bench-sqlite')).toContainText('SQLite: what the fast path buys (medians): the lean verifier');
  await expect(page.getByTestId('cli-bench-postgresql')).toBeVisible();
  await expect(page.getByTestId('cli-bench-targets').getByRole('row', { name: /^SQLite: Reads per request: 0 stateless, 1 stateful/ })).toContainText('met');
  // The algorithms' cost comes from the in-page benchmark when one has run, and from this run otherwise.
  await expect(page.getByTestId('algorithm-cost')).toContainText(/calls each, same run \((the benchmark above|npm run bench, \d{4}-\d\d-\d\d \d\d:\d\d UTC)\)/);
});
