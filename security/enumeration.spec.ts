// Account enumeration through the login form: an unknown email and a wrong password for a real
// account get the same message, and take the same time (the unknown email pays for the same
// argon2 verification against a dummy hash). Interleaved samples, compared by their medians.
// Both sides repeat one address, so both pay for the same throttle bookkeeping: a counter the
// database already holds. (Fresh unknown addresses each time made every unknown attempt create a
// counter row, a cost of never having been tried, not of not existing: a known account's first
// try pays it too.)
import type { Page } from '@playwright/test';
import { DEMO, expect, test } from '../e2e/fixtures';
import { LoginPage } from '../e2e/pages/login-page';

const SAMPLES = 40;
/** "Within a few percent": the medians may differ by at most this fraction of the larger. */
const TOLERANCE = 0.1;

async function attempt(page: Page, email: string) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
  await new LoginPage(page).login(email, 'not-the-password');
  const timing = (await response).request().timing();
  await expect(page.getByLabel('Password')).toHaveValue('');
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toHaveText(/.+/);
  const message = await alert.textContent();
  return { ms: timing.responseStart - timing.requestStart, message };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test('an unknown email and a wrong password get the same message, in the same time', async ({ page }) => {
  test.setTimeout(120_000);
  await new LoginPage(page).goto();
  const known: number[] = [];
  const unknown: number[] = [];
  const messages = new Set<string | null>();
  for (let i = 0; i < SAMPLES; i++) {
    const a = await attempt(page, DEMO.bob.email);
    const b = await attempt(page, 'nobody@example.test');
    known.push(a.ms);
    unknown.push(b.ms);
    messages.add(a.message).add(b.message);
  }
  expect([...messages]).toEqual(['Invalid email or password.']);
  const [k, u] = [median(known), median(unknown)];
  console.log(`enumeration: median ${k.toFixed(1)} ms for a wrong password, ${u.toFixed(1)} ms for an unknown email`);
  expect(Math.abs(k - u) / Math.max(k, u)).toBeLessThan(TOLERANCE);
});
