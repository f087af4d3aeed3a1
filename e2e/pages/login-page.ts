// Page object for /login.
import { expect, type Page } from '@playwright/test';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto(query = '') {
    await this.page.goto(`/login${query}`);
  }

  async login(email: string, password: string) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
  }

  async expectGenericError() {
    await expect(this.page.getByRole('main').getByRole('alert')).toHaveText('Invalid email or password.');
  }

  notice() {
    return this.page.getByRole('status');
  }
}
