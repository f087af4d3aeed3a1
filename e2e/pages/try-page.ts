// Page object for /try: the five experiments and what the server sees of each.
import { expect, type Page } from '@playwright/test';

export class TryPage {
  constructor(private readonly page: Page) {}

  async goto(hash = '') {
    await this.page.goto(`/try${hash}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Try it: five experiments' })).toBeVisible();
  }

  /** One live check by its key: its text, and data-done="true" once the server saw the step. */
  check(key: string) {
    return this.page.getByTestId(`check-${key}`);
  }

  async expectSeen(key: string, text: string | RegExp) {
    await expect(this.check(key)).toHaveAttribute('data-done', 'true');
    await expect(this.check(key)).toContainText(text);
  }

  async expectNotYet(key: string, text: string | RegExp) {
    await expect(this.check(key)).toHaveAttribute('data-done', 'false');
    await expect(this.check(key)).toContainText(text);
  }

  async stealCopy() {
    await this.page.getByRole('button', { name: 'Let the lab steal a copy' }).click();
  }

  async signOutStolenSession() {
    await this.page.getByRole('button', { name: 'Sign this session out' }).click();
  }
}
