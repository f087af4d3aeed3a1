// The accessibility audit: axe-core's WCAG 2.0 and 2.1 rules, levels A and AA, on the page as it
// stands. Every <details> is opened first, so the tables a reader can unfold are audited too.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Fails with each violation (rule, impact, elements) of any impact, named by `where`. */
export async function expectAccessible(page: Page, where: string) {
  await page.locator('details:not([open])').evaluateAll((all) => all.forEach((details) => ((details as HTMLDetailsElement).open = true)));
  // A page re-rendered by a server action gets its <title> back a moment later: audit the settled page.
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = violations.map((v) => `${where}: ${v.id} (${v.impact}) on ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(found, `axe found violations on ${where}`).toEqual([]);
}
