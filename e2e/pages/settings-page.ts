// Page object for /settings.
import { expect, type Page } from '@playwright/test';

export class SettingsPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto('/settings');
    await expect(this.page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  }

  async changePassword(current: string, next: string, confirm = next) {
    await this.page.getByLabel('Current password').fill(current);
    await this.page.getByLabel('New password', { exact: true }).fill(next);
    await this.page.getByLabel('Confirm new password').fill(confirm);
    await this.page.getByRole('button', { name: 'Change password' }).click();
  }

  /** The form's result, e.g. "Password changed. 1 other session was signed out: …". */
  result() {
    return this.page.getByText(/^Password changed\./);
  }
}
