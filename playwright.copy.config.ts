// The smoke that `npm run test:copy` runs against each copied app (scripts/test-copy.ts starts it
// and passes its address in COPY_BASE_URL, and the modes it runs in COPY_MODES).
import { defineConfig } from '@playwright/test';
import { launchOptions } from './playwright.config';

export default defineConfig({
  testDir: './e2e-copy',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  use: { baseURL: process.env.COPY_BASE_URL, launchOptions, trace: 'off' },
});
