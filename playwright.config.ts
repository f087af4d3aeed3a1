// End-to-end tests in a real Chromium against the production build (`npm run build` first).
// Six servers from the same build (PORTS): the main one; one with very short token lifetimes for
// tests that wait for a token to expire; one under plain `next start`, without the custom server;
// one with the README's throttle limits; one behind trusted proxies with small limits; and one for
// the simulated outage drill alone. Each gets a fresh SQLite database. Beside the main one runs the second verifier
// (verifier/server.mjs), which fetches the main server's public keys. The cluster project runs
// `scripts/cluster.ts`: two instances on a fresh embedded PostgreSQL behind the round-robin front
// door, and its own second verifier.
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const executablePath = process.env.CHROMIUM_PATH ?? SYSTEM_CHROMIUM;

export const PORTS = { main: 3100, shortLived: 3101, nextStart: 3102, defaults: 3103, limits: 3104, drill: 3105, verifier: 3110 };
/** The limits server: plain `next start` behind two trusted proxies, with small limits to reach in a test. */
export const LIMITS = { signupsFromUnknownAddresses: 3, loginsPerIp: 3, passwordWorkConcurrency: 1 };
/** The defaults server keeps the README's per-account throttle limits, and a sign-in counts as fresh for this long only. */
export const DEFAULTS_SERVER_FRESH_SIGN_IN_SECONDS = 8;
// Every test signs up and in from 127.0.0.1: the other servers raise the limits far out of reach.
const UNTHROTTLED = {
  THROTTLE_LOGINS_PER_IP: '1000000',
  THROTTLE_LOGIN_FAILURES_PER_ACCOUNT: '1000000',
  THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE: '1000000',
  THROTTLE_SIGNUPS_PER_IP: '1000000',
  THROTTLE_PASSWORD_FAILURES_PER_USER: '1000000',
};
/** `npm run demo:cluster` as the README starts it: the front door, then instances a and b on the next ports. */
export const CLUSTER = { frontDoor: 3200, a: 3201, b: 3202, verifier: 3210, postgres: 54339, dataDir: 'data/e2e-postgres' };
export const SHORT_STATELESS_TTL_SECONDS = 8;
/** The short-lived server's hybrid settings: an 8-second access token, renewed 2 s before its exp. */
export const SHORT_HYBRID = { accessTtlSeconds: 8, leewaySeconds: 2 };
export const CLOCK_TOLERANCE_SECONDS = 2;

export const launchOptions = {
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

function server(
  port: number,
  database: string,
  extraEnv: Record<string, string> = {},
  start = 'node server.mjs',
  limits: Record<string, string> = UNTHROTTLED,
) {
  return {
    command: `tsx --conditions=react-server scripts/reset-db.ts && ${start}`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      // No HOSTNAME: the server binds as the README starts it (all interfaces), so a redirect built
      // from the bind address (http://0.0.0.0:…) would show up in the tests' whole-URL assertions.
      PORT: String(port),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      CLOCK_TOLERANCE_SECONDS: String(CLOCK_TOLERANCE_SECONDS),
      DATABASE_URL: `file:./data/${database}.db`,
      ...limits,
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: './e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  // Six servers, two small verifiers and a PostgreSQL share two cores while the suite runs: give a page a little longer.
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORTS.main}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /(phone|cluster)\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      // A 390-pixel-wide phone (iPhone 14's viewport), in the same Chromium.
      name: 'phone',
      testMatch: /phone\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, launchOptions },
    },
    {
      // `npm run test:security`: each attack its own test, over HTTP against the production build.
      name: 'security',
      testDir: './security',
      testIgnore: /enumeration\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      // The attack suite's timing measurement, alone on the machine: it waits for every other
      // project, whose load on the two cores would otherwise show up as a difference in time.
      name: 'security-timing',
      testDir: './security',
      testMatch: /enumeration\.spec\.ts/,
      dependencies: ['chromium', 'phone', 'security', 'cluster'],
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      name: 'cluster',
      testMatch: /cluster\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], baseURL: `http://localhost:${CLUSTER.frontDoor}`, launchOptions },
    },
  ],
  webServer: [
    server(PORTS.main, 'e2e', { STATELESS_TOKEN_TTL_SECONDS: '300', VERIFIER_URL: `http://127.0.0.1:${PORTS.verifier}` }),
    {
      // The main server's second verifier: no secret, no database, only the keys the main server publishes.
      command: 'node verifier/server.mjs',
      url: `http://127.0.0.1:${PORTS.verifier}/healthz`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
      env: {
        VERIFIER_PORT: String(PORTS.verifier),
        JWKS_URL: `http://localhost:${PORTS.main}/.well-known/jwks.json`,
        CLOCK_TOLERANCE_SECONDS: String(CLOCK_TOLERANCE_SECONDS),
      },
    },
    server(PORTS.shortLived, 'e2e-short', {
      STATELESS_TOKEN_TTL_SECONDS: String(SHORT_STATELESS_TTL_SECONDS),
      HYBRID_ACCESS_TTL_SECONDS: String(SHORT_HYBRID.accessTtlSeconds),
      HYBRID_REFRESH_LEEWAY_SECONDS: String(SHORT_HYBRID.leewaySeconds),
      SIGNING_KEY_PUBLISH_LEAD_SECONDS: '0',
    }),
    // The session code without the custom server, as a serverless platform would run it, and on its
    // own path (jose, Prisma) without the speed-ups, so the attack suite hits both verifiers.
    server(PORTS.nextStart, 'e2e-next', { SESSION_FAST_PATH: '0' }, `next start -p ${PORTS.nextStart}`),
    // The README's per-account and per-user limits, for the throttling and fresh sign-in tests. The
    // per-IP and server-wide limits stay raised: every test comes from 127.0.0.1, and a new browser
    // each (the unit tests and npm run bench:scale cover them).
    server(PORTS.defaults, 'e2e-defaults', { FRESH_SIGN_IN_SECONDS: String(DEFAULTS_SERVER_FRESH_SIGN_IN_SECONDS) }, 'node server.mjs', {
      THROTTLE_LOGINS_PER_IP: UNTHROTTLED.THROTTLE_LOGINS_PER_IP,
      THROTTLE_SIGNUPS_PER_IP: UNTHROTTLED.THROTTLE_SIGNUPS_PER_IP,
      THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE: UNTHROTTLED.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE,
    }),
    // A single server for the simulated outage drill alone: for its few seconds every query of the
    // process fails, which would refuse any other test's requests on a shared server. No `npm run
    // bench` is stored in its database, so its /compare offers the short whole-request run (3 rounds here).
    server(PORTS.drill, 'e2e-drill', { STATELESS_TOKEN_TTL_SECONDS: '300', LAB_HTTP_RUN_ROUNDS: '3' }),
    // Plain `next start` (no custom server) behind two trusted proxies (TRUST_PROXY=2): a request
    // that did not come through both (Next.js itself fills X-Forwarded-For with the socket's address
    // when it is absent: one entry) is of unknown address and shares that bucket; otherwise the
    // entry the outer proxy appended counts. One password hash at a time, and none waiting.
    server(PORTS.limits, 'e2e-limits', {}, `next start -p ${PORTS.limits}`, {
      TRUST_PROXY: '2',
      THROTTLE_SIGNUPS_FROM_UNKNOWN_ADDRESSES: String(LIMITS.signupsFromUnknownAddresses),
      THROTTLE_LOGINS_PER_IP: String(LIMITS.loginsPerIp),
      PASSWORD_WORK_CONCURRENCY: String(LIMITS.passwordWorkConcurrency),
      PASSWORD_WORK_QUEUE: '0',
      THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE: UNTHROTTLED.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE,
    }),
    {
      command: 'tsx --conditions=react-server scripts/cluster.ts',
      url: `http://localhost:${CLUSTER.frontDoor}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
      gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
      env: {
        PORT: String(CLUSTER.frontDoor),
        CLUSTER_POSTGRES_PORT: String(CLUSTER.postgres),
        CLUSTER_DATA_DIR: CLUSTER.dataDir,
        CLUSTER_FRESH: '1',
        CLUSTER_DRILL_COOLDOWN_SECONDS: '0',
        VERIFIER_PORT: String(CLUSTER.verifier),
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        CLOCK_TOLERANCE_SECONDS: String(CLOCK_TOLERANCE_SECONDS),
        STATELESS_TOKEN_TTL_SECONDS: '300',
        // Per-account limits as the README says, to show the instances share them; per IP and server-wide raised.
        THROTTLE_LOGINS_PER_IP: UNTHROTTLED.THROTTLE_LOGINS_PER_IP,
        THROTTLE_SIGNUPS_PER_IP: UNTHROTTLED.THROTTLE_SIGNUPS_PER_IP,
        THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE: UNTHROTTLED.THROTTLE_UNTRUSTED_LOGIN_FAILURES_PER_MINUTE,
      },
    },
  ],
});
