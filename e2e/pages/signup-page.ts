// Page object for /signup.
import { expect, type Page } from '@playwright/test';

export class SignupPage {
  constructor(private readonly page: Page) {}

  async goto(query = '') {
    await this.page.goto(`/signup${query}`);
  }

  async signUp(account: { name: string; email: string; password: string }) {
    await this.page.getByLabel('Name').fill(account.name);
    await this.page.getByLabel('Email').fill(account.email);
    await this.page.getByLabel('Password').fill(account.password);
    await this.page.getByRole('button', { name: 'Sign up' }).click();
  }

  async expectFieldValues(values: { name: string; email: string }) {
    await expect(this.page.getByLabel('Name')).toHaveValue(values.name);
    await expect(this.page.getByLabel('Email')).toHaveValue(values.email);
    await expect(this.page.getByLabel('Password')).toHaveValue('');
  }
}
