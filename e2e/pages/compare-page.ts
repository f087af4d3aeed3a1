// Page object for /compare.
import type { Mode } from './site-header';
import { expect, type Page } from '@playwright/test';

export class ComparePage {
  constructor(private readonly page: Page) {}

  /** Opens the page; `unfold`: with every folded section open, as a reader who wants the details has it. */
  async goto({ unfold = true } = {}) {
    await this.page.goto('/compare');
    await expect(this.page.getByRole('heading', { name: 'Stateless vs stateful, measured on this server' })).toBeVisible();
    if (unfold) await this.unfold();
  }

  async unfold() {
    // The page's folded sections, not the charts' "Show as a table".
    await this.page.locator('details[data-folded]').evaluateAll((all) => all.forEach((details) => ((details as HTMLDetailsElement).open = true)));
  }

  row(key: string) {
    return this.page.getByTestId(`row-${key}`);
  }

  async runBenchmark() {
    // The run's line ("Run of <time> …"): the page shows the new run only once the router's refresh lands.
    const runLine = this.page.getByTestId('benchmark-results').locator('p').first();
    const previous = (await runLine.count()) > 0 ? await runLine.textContent() : null;
    await this.page.getByRole('button', { name: 'Run benchmark' }).click();
    await expect(this.page.getByText('Benchmark finished; the charts below show this run.')).toBeVisible({ timeout: 90_000 });
    await expect(runLine).toBeVisible();
    if (previous !== null) await expect(runLine).not.toHaveText(previous);
  }

  async showBenchmarkTables() {
    for (const summary of await this.page.getByTestId('benchmark-results').getByText('Show as a table').all()) await summary.click();
  }

  benchmarkValue(label: string) {
    return this.page.getByTestId('benchmark-results').getByRole('row', { name: label }).getByRole('cell');
  }

  /** Stops the cluster's database (or, on a single server, simulates its outage) for a few seconds and waits for the drill's result. */
  async runOutageDrill() {
    await this.page.getByRole('button', { name: /^(Stop the database for \d+ s|Simulate a \d+ s database outage) and measure$/ }).click();
    await expect(this.page.getByText('Drill finished; the database is back. The result is below.')).toBeVisible({ timeout: 30_000 });
  }

  drillPhase(phase: 'before' | 'during' | 'after') {
    return this.page.getByTestId(`drill-${phase}`).getByRole('cell');
  }

  labVerdict(mode: Mode) {
    return this.page.getByTestId(`lab-${mode}-verdict`);
  }
}
