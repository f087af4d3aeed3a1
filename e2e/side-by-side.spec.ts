// Two copies of the demo side by side, started as the README starts one (`npm start`, default
// host): PORT alone moves a copy and its second verifier, a taken port is named in one line, and
// VERIFIER_PORT=0 tells the app the port the verifier really got.
import type { Browser } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ComparePage } from './pages/compare-page';
import { expect, loginAs, test, DEMO } from './fixtures';

const running: ChildProcess[] = [];

test.afterEach(async () => {
  await Promise.all(
    running.splice(0).map(async (child) => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
});

/** `npm start` on this PORT with a fresh database of its own; resolves with the copy once it serves. */
async function startCopy(port: number, env: Record<string, string> = {}) {
  // As the README starts it: no HOSTNAME, so it binds all interfaces.
  const { HOSTNAME: _host, ...inherited } = process.env;
  const environment: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: 'production', DATABASE_URL: `file:./data/e2e-copy-${port}.db`, PORT: String(port), ...env };
  const reset = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', '--conditions=react-server', 'scripts/reset-db.ts'], {
    env: environment,
    stdio: 'ignore',
  });
  expect((await once(reset, 'exit'))[0]).toBe(0);
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await expect
    .poll(
      async () =>
        child.exitCode !== null
          ? `exited: ${output}`
          : await fetch(`http://localhost:${port}/login`).then(
              (r) => r.status,
              () => 0,
            ),
      {
        timeout: 60_000,
      },
    )
    .toBe(200);
  return { child, output: () => output };
}

/** Signs in on the copy and has /compare exchange the session for a token its verifier accepts. */
async function exchangeOnCompare(browser: Browser, port: number) {
  const context = await browser.newContext({ baseURL: `http://localhost:${port}` });
  const page = await context.newPage();
  await loginAs(page, DEMO.bob, 'stateful');
  await new ComparePage(page).goto();
  await page.getByRole('button', { name: 'Exchange my session for a verifier token' }).click();
  await expect(page.getByTestId('verifier-verdict')).toHaveText('accepted');
  await context.close();
}

test('a second copy runs beside the first on another PORT, its verifier on PORT + 10; the same PORT again gets one line', async ({ browser }) => {
  test.setTimeout(120_000);
  const port = 3120;
  await startCopy(port);
  const status = (await (await fetch('http://127.0.0.1:3130/')).json()) as { jwksUrl: string };
  expect(status.jwksUrl).toBe(`http://127.0.0.1:${port}/.well-known/jwks.json`);
  await exchangeOnCompare(browser, port);

  const again = spawn(process.execPath, ['scripts/start.mjs'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  again.stderr!.on('data', (chunk) => (output += chunk));
  expect((await once(again, 'exit'))[0]).toBe(1);
  expect(output.trim()).toBe(`Port ${port} (the app) is already in use: set PORT to another port (for example PORT=${port + 100}).`);
});

test('VERIFIER_PORT=0 puts the verifier on a free port, and the app is told which', async ({ browser }) => {
  test.setTimeout(120_000);
  const port = 3140;
  const copy = await startCopy(port, { VERIFIER_PORT: '0' });
  expect(copy.output()).toMatch(/second verifier ready on http:\/\/127\.0\.0\.1:(?!0,)\d+/);
  await exchangeOnCompare(browser, port);
});
