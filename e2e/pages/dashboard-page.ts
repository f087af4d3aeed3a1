// Page object for /dashboard.
import type { Mode } from './site-header';
import { expect, type Page } from '@playwright/test';

export class DashboardPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto('/dashboard');
  }

  async expectSignedIn(name: string, mode?: Mode) {
    await expect(this.page).toHaveURL(/\/dashboard/);
    await expect(this.page.getByRole('heading', { name: `Hello, ${name}` })).toBeVisible();
    if (mode) await expect(this.page.getByTestId('session-mode')).toHaveText(mode);
  }

  async payload() {
    return JSON.parse((await this.page.getByLabel('Token payload').textContent()) ?? '{}');
  }

  async header() {
    return JSON.parse((await this.page.getByLabel('Token header').textContent()) ?? '{}');
  }

  /** Hybrid: exchanges the refresh token at once, and waits for the page to say so. */
  async refreshNow() {
    await this.page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(this.page.getByTestId('renewal-status')).toHaveText('Renewed: a new access token, and the refresh token was rotated.');
  }
}
