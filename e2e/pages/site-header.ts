// Page object for the header and footer on every page: mode switch, log out, the serving instance.
import { expect, type Page } from '@playwright/test';
import type { SessionMode as Mode } from '../../lib/session/modes';

export type { Mode };

export class SiteHeader {
  constructor(private readonly page: Page) {}

  currentMode() {
    return this.page.getByTestId('current-mode');
  }

  async switchTo(mode: Mode) {
    await this.page.getByRole('button', { name: `Switch to ${mode}` }).click();
    await expect(this.currentMode()).toHaveText(mode);
  }

  async ensureMode(mode: Mode) {
    if ((await this.currentMode().textContent()) !== mode) await this.switchTo(mode);
  }

  /** The footer line naming the instance that rendered this page. */
  servedBy() {
    return this.page.getByTestId('served-by');
  }

  /** Logs out, and returns once the server has (it redirects to the login page), so nothing that follows races it. */
  async logout() {
    const { origin } = new URL(this.page.url());
    await this.page.getByRole('button', { name: 'Log out' }).click();
    await expect(this.page).toHaveURL(`${origin}/login?reason=logged-out`);
  }
}
