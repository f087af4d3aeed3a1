// Environment, validated once with zod. Every setting the app reads comes from here,
// so a bad value fails at start-up with a readable message instead of deep in a request.
import { z } from 'zod';
import { SESSION_MODES } from '@/lib/session/modes';

const WEAK_SECRETS = ['secret', 'changeme', 'password', 'your-256-bit-secret', 'development'];

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : ['1', 'true', 'yes'].includes(value)));

const seconds = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const attempts = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** How many proxies of yours stand in front of the app: off, yes (one), or a count. */
const proxyHops = z
  .string()
  .optional()
  .transform((value) => {
    const text = (value ?? '').trim().toLowerCase();
    if (['', '0', 'false', 'no'].includes(text)) return 0;
    if (['true', 'yes'].includes(text)) return 1;
    return /^\d+$/.test(text) ? Number(text) : NaN;
  })
  .pipe(z.number({ error: 'TRUST_PROXY must be 0/false, 1/true, or the number of proxies in front of the app' }).int().min(0).max(16));

function createSchema(nodeEnv: string) {
  return z
    .object({
      NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
      SESSION_SECRET: z
        .string({ error: 'SESSION_SECRET is required (run `npm run setup` to write one into .env.local)' })
        .refine((s) => Buffer.byteLength(s, 'utf8') >= 32, 'SESSION_SECRET must be at least 32 bytes (256 bits)')
        .refine((s) => new Set(s).size >= 12, 'SESSION_SECRET looks low-entropy (too few distinct characters)')
        .refine((s) => !WEAK_SECRETS.some((weak) => s.toLowerCase().includes(weak)), 'SESSION_SECRET contains a well-known weak secret'),
      DATABASE_URL: z.string().min(1).default('file:./data/app.db'),
      // Connections per instance (PostgreSQL only). `npm run demo:cluster` divides the server's
      // max_connections between its instances; one instance alone keeps pg's default of 10.
      DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
      // Shown on every page, so a visitor behind the cluster's front door sees who answered.
      INSTANCE_NAME: z
        .string()
        .regex(/^[\w.-]{0,32}$/, 'INSTANCE_NAME may hold only letters, digits, ".", "-" and "_" (at most 32)')
        .default(''),
      // Set by `npm run demo:cluster`: how many instances share the database, and where the
      // supervisor's outage drill listens (loopback, with a random token).
      CLUSTER_INSTANCES: z.coerce.number().int().min(1).max(8).default(1),
      CLUSTER_CONTROL_URL: z.url({ protocol: /^http$/ }).optional(),
      CLUSTER_CONTROL_TOKEN: z.string().min(16).optional(),
      CLUSTER_FRONT_DOOR_URL: z.url({ protocol: /^http$/ }).optional(),
      SESSION_MODE: z.enum(SESSION_MODES).default('stateful'),
      SESSION_MODES: z
        .string()
        .default(SESSION_MODES.join(','))
        .transform((value) =>
          value
            .split(',')
            .map((mode) => mode.trim())
            .filter(Boolean),
        )
        .pipe(z.array(z.enum(SESSION_MODES)).min(1, 'SESSION_MODES must name at least one mode')),
      STATELESS_TOKEN_TTL_SECONDS: seconds(15 * 60, 5, 24 * 3600),
      SESSION_ABSOLUTE_TTL_SECONDS: seconds(7 * 24 * 3600, 60, 90 * 24 * 3600),
      SESSION_IDLE_TIMEOUT_SECONDS: seconds(30 * 60, 10, 90 * 24 * 3600),
      SESSION_ACTIVITY_INTERVAL_SECONDS: seconds(60, 0, 3600),
      CLOCK_TOLERANCE_SECONDS: seconds(5, 0, 300),
      // Hybrid mode (lib/session/hybrid.ts): the access token's lifetime, which is also the longest a
      // signed-out device keeps reading, and how early before its exp the proxy refreshes it.
      HYBRID_ACCESS_TTL_SECONDS: seconds(5 * 60, 5, 3600),
      HYBRID_REFRESH_LEEWAY_SECONDS: seconds(30, 0, 600),
      // How long a new Ed25519 key is published before a rotation may make it sign (signing-keys.ts).
      SIGNING_KEY_PUBLISH_LEAD_SECONDS: seconds(60, 0, 24 * 3600),
      // The second verifier (verifier/server.mjs), which /compare asks to check a token minted for it.
      VERIFIER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3010'),
      // Token exchange (lib/session/service-token.ts): the audience of the one other service a
      // session may get a token for, and how long that token lives.
      VERIFIER_AUDIENCE: z.string().min(1).default('jwt-sessions-reference:verifier'),
      SERVICE_TOKEN_TTL_SECONDS: seconds(60, 5, 3600),
      // Verified tokens kept per process (lib/session/token-cache.ts); 0 verifies every request from scratch.
      VERIFIED_TOKEN_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
      SESSION_ISSUER: z.string().min(1).default('jwt-sessions-reference'),
      SESSION_AUDIENCE: z.string().min(1).default('jwt-sessions-reference:web'),
      COOKIE_SECURE: flag(nodeEnv === 'production'),
      // Attempts allowed per window (lib/session/throttle.ts; the windows are fixed). Raise them for
      // load tests; 0 is refused, so throttling cannot be switched off by accident. Requests whose
      // address is unknown (plain `next start` without TRUST_PROXY) share one bucket of their own.
      THROTTLE_LOGINS_PER_IP: attempts(30),
      THROTTLE_LOGINS_FROM_UNKNOWN_ADDRESSES: attempts(300),
      THROTTLE_LOGIN_FAILURES_PER_ACCOUNT: attempts(10),
      THROTTLE_SIGNUPS_PER_IP: attempts(10),
      THROTTLE_SIGNUPS_FROM_UNKNOWN_ADDRESSES: attempts(60),
      THROTTLE_PASSWORD_FAILURES_PER_USER: attempts(5),
      // Password hashes (argon2id: 19 MiB and a thread each) run at once per process, and how many
      // more may wait for one; the rest are answered 503 at once (lib/session/throttle.ts).
      PASSWORD_WORK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
      PASSWORD_WORK_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
      // How recent a sign-in must be for signing devices out or everywhere without typing the password.
      FRESH_SIGN_IN_SECONDS: seconds(5 * 60, 5, 24 * 3600),
      // The client's address is the X-Forwarded-For entry this many proxies of yours vouch for (the
      // right-most they did not add); 0 believes no X-Forwarded-For or X-Forwarded-Host at all.
      TRUST_PROXY: proxyHops,
    })
    .superRefine((env, ctx) => {
      if (env.VERIFIER_AUDIENCE === env.SESSION_AUDIENCE) {
        ctx.addIssue({
          code: 'custom',
          path: ['VERIFIER_AUDIENCE'],
          message: 'VERIFIER_AUDIENCE must differ from SESSION_AUDIENCE: a service token must never pass as a session',
        });
      }
      if (!env.SESSION_MODES.includes(env.SESSION_MODE)) {
        ctx.addIssue({ code: 'custom', path: ['SESSION_MODE'], message: `SESSION_MODE=${env.SESSION_MODE} is not in SESSION_MODES` });
      }
      // Otherwise every access token would be due the moment it is issued: a refresh per request.
      if (env.HYBRID_REFRESH_LEEWAY_SECONDS >= env.HYBRID_ACCESS_TTL_SECONDS) {
        ctx.addIssue({
          code: 'custom',
          path: ['HYBRID_REFRESH_LEEWAY_SECONDS'],
          message: `HYBRID_REFRESH_LEEWAY_SECONDS (${env.HYBRID_REFRESH_LEEWAY_SECONDS}) must be less than HYBRID_ACCESS_TTL_SECONDS (${env.HYBRID_ACCESS_TTL_SECONDS})`,
        });
      }
    });
}

export type Env = z.infer<ReturnType<typeof createSchema>>;

let cached: Env | undefined;

/** Parses process.env once; throws with every problem listed if anything is invalid. */
export function getEnv(): Env {
  if (cached) return cached;
  const result = createSchema(process.env.NODE_ENV ?? 'development').safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  cached = result.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests() {
  cached = undefined;
}
