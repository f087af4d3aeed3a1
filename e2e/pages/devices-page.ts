// Page object for /devices.
import { expect, type Page } from '@playwright/test';

export class DevicesPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto('/devices');
    await expect(this.page.getByRole('heading', { name: 'Your devices' })).toBeVisible();
  }

  device(label: RegExp | string) {
    return this.page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem', { name: label });
  }

  thisDevice() {
    return this.device(/\(this device\)/);
  }

  async signOut(label: RegExp | string) {
    const row = this.device(label);
    await row.getByRole('button', { name: /^Sign out/ }).click();
  }

  /** Signs a stateful device out and waits for the page to confirm it. */
  async signOutStateful(label: RegExp | string) {
    await this.signOut(label);
    await expect(this.page.getByText('Signed out. That device’s next request will be refused.')).toBeVisible();
  }

  async signOutOthers() {
    await this.page.getByRole('button', { name: 'Sign out all other devices' }).click();
    await expect(this.page.getByText(/Signed out \d+ other/)).toBeVisible();
  }

  /**
   * Signs out every session, this one included, and returns once the server has (it redirects to
   * the login page): a test that replays an old token next must not race the action.
   */
  async signOutEverywhere() {
    const { origin } = new URL(this.page.url());
    await this.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(this.page).toHaveURL(`${origin}/login?reason=logged-out`);
  }
}
