// The outage drill on a single server (`npm run demo`, SQLite): the outage is simulated inside the
// server's process, and says so. Stateless and hybrid reads are served through it, every stateful
// request is refused with 503 (never trusted), hybrid's refresh waits for the database; an admin
// runs it, and every visitor sees the latest result. On its own server: the simulated outage
// refuses every request of the process that needs the database.
import { DEMO, expect, loginAs, test } from './fixtures';
import { ComparePage } from './pages/compare-page';
import { TryPage } from './pages/try-page';
import { PORTS } from '../playwright.config';

test.use({ baseURL: `http://localhost:${PORTS.drill}` });
// One at a time: the drill makes every query of the server fail for a few seconds.
test.describe.configure({ mode: 'serial' });

test('with no npm run bench stored, a signed-in visitor measures whole requests on the page, and the cost experiment reads it', async ({ page, account }) => {
  await loginAs(page, account, 'stateful');
  const compare = new ComparePage(page);
  await compare.goto();
  await expect(page.getByTestId('whole-request')).toHaveText(
    'A whole request costs more than its check. No npm run bench run is stored in this database yet: measure signed-in requests against anonymous ones over HTTP here, in about 5 seconds.',
  );
  await page.getByRole('button', { name: 'Measure whole requests (about 5 s)' }).click();
  await expect(page.getByText('Finished: the line above shows this run.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('whole-request')).toHaveText(
    /^A whole request \(a short run on this page, \d{4}-\d\d-\d\d \d\d:\d\d UTC, sqlite \(data\/e2e-drill\.db\): 3 rounds of 1 s, 8 connections from a load generator on this machine; npm run bench measures for longer\): anonymous requests are served at [\d,]+\/s, about [\d.,]+ (µs|ms) of the server each\. A signed-in request keeps most of that rate: stateless [\d.]+ \([\d.]+–[\d.]+\), -?\d+% more time; stateful [\d.]+ \([\d.]+–[\d.]+\), -?\d+% more time; hybrid [\d.]+ \([\d.]+–[\d.]+\), -?\d+% more time\. Why so little: /,
  );
  const tryPage = new TryPage(page);
  await tryPage.goto('#cost');
  await tryPage.expectSeen(
    'request-cost',
    /^A whole anonymous request costs about [\d.,]+ (µs|ms) of the server; signed in \(stateful\) it keeps \d+% of the anonymous rate \(the short run on Compare, \d\d:\d\d:\d\d UTC\)\.$/,
  );
});

test('an admin simulates a database outage on a single server: stateless and hybrid read on, stateful answers 503, and the run says it was simulated', async ({
  page,
  browser,
  account,
}) => {
  await loginAs(page, DEMO.alice, 'stateful');
  const compare = new ComparePage(page);
  await compare.goto();
  await expect(page.getByTestId('drill-simulated')).toContainText('On this single server the outage is simulated: for 3 s every query of this process fails');
  await compare.runOutageDrill();

  await expect(page.getByTestId('drill-run-simulated')).toHaveText('a simulated outage: every query of one server process failed; no database was stopped');
  // Columns: stateless, stateful, hybrid.
  await expect(compare.drillPhase('before')).toHaveText([/^(\d+) of \1 served$/, /^(\d+) of \1 served$/, /^(\d+) of \1 served$/]);
  await expect(compare.drillPhase('during')).toHaveText([
    /^([1-9]\d*) of \1 served$/,
    /^0 of ([1-9]\d*) served, \1 answered 503$/,
    /^([1-9]\d*) of \1 served$/,
  ]);
  await expect(page.getByTestId('drill-refresh')).toHaveText(
    /^Hybrid refreshes: during the outage 0 of (\d+) served, \1 answered 503; after it (\d+) of \2 served\./,
  );
  await expect(page.getByTestId('drill-recovery')).toHaveText(
    /^Stateful requests served again after the database returned: this server after \d+ ms, with no restart\.$/,
  );
  await expect(compare.row('infrastructure')).toContainText('✓ agrees');
  await expect(compare.row('infrastructure')).toContainText('Latest outage drill (sqlite (data/e2e-drill.db), simulated in one process)');
  await expect(compare.row('infrastructure')).toContainText(/During a 3\.0 s database outage: 0 of \d+ served, \d+ answered 503\./);

  // Any other signed-in user sees the latest result, read-only.
  const other = await browser.newPage({ baseURL: `http://localhost:${PORTS.drill}` });
  await loginAs(other, account, 'stateless');
  const theirs = new ComparePage(other);
  await theirs.goto();
  await expect(other.getByTestId('drill-admins-only')).toContainText('only an admin may run it');
  await expect(other.getByRole('button', { name: /database outage and measure$/ })).toHaveCount(0);
  await expect(theirs.drillPhase('during')).toHaveText([/served$/, /answered 503$/, /served$/]);
  // And on the experiments page, as the database experiment's check.
  const tryPage = new TryPage(other);
  await tryPage.goto('#outage');
  await tryPage.expectSeen(
    'drill',
    /^The latest drill, at \d\d:\d\d:\d\d UTC \(simulated in one process\): during the outage stateless ([1-9]\d*) of \1 served; stateful 0 of (\d+) served, \2 answered 503; hybrid ([1-9]\d*) of \3 served\.$/,
  );
  await other.close();
});
