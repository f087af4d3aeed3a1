import 'server-only';
// 01 · Settings, keys and ids: what every other file of the session code stands on.
// - Settings are read from the environment once and validated with zod, so a bad value stops the
//   server at start-up (checkSettings, 09-sessions.ts) instead of failing deep in a request. Each
//   file declares the settings it reads; a mode's own settings live in its file.
// - Every key is derived from SESSION_SECRET with HKDF, one per purpose, so no two uses share bytes.
// - Ids are 128 random bits; the database keeps only a hash of the secret ones.
// Next: 02-tokens.ts.
import { createHash, hkdfSync } from 'node:crypto';
import { z } from 'zod';

/**
 * State shared by the whole process. Next.js bundles a module once per layer (the proxy, pages,
 * route handlers), so a module-level variable can exist several times in one server.
 */
export function shared<T>(name: string, create: () => T): T {
  const key = Symbol.for(`jwt-sessions-reference.${name}`);
  const store = globalThis as Record<symbol, unknown>;
  if (!(key in store)) store[key] = create();
  return store[key] as T;
}

// Bumped by tests that change process.env, so every group of settings is read again.
const version = shared('settings-version', () => ({ current: 0 }));

/** A group of settings: a getter that reads and checks the environment once, and names every problem. */
export function settings<Shape extends z.ZodRawShape>(shape: Shape) {
  const schema = z.object(shape);
  let cached: { version: number; value: z.infer<typeof schema> } | undefined;
  return (): z.infer<typeof schema> => {
    if (cached?.version === version.current) return cached.value;
    const result = schema.safeParse(process.env);
    if (!result.success) throw new Error(`Invalid environment:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    cached = { version: version.current, value: result.data };
    return result.data;
  };
}

export const seconds = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : ['1', 'true', 'yes'].includes(value)));

const WEAK_SECRETS = ['secret', 'changeme', 'password', 'your-256-bit-secret', 'development'];

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

/** The settings every mode shares. */
export const getSettings = settings({
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is required (at least 32 random bytes)' })
    .refine((s) => Buffer.byteLength(s, 'utf8') >= 32, 'SESSION_SECRET must be at least 32 bytes (256 bits)')
    .refine((s) => new Set(s).size >= 12, 'SESSION_SECRET looks low-entropy (too few distinct characters)')
    .refine((s) => !WEAK_SECRETS.some((weak) => s.toLowerCase().includes(weak)), 'SESSION_SECRET contains a well-known weak secret'),
  // Which modes the server accepts (tokens of any other are refused), and a new browser's.
  SESSION_MODES: z.string().optional(),
  SESSION_MODE: z.string().optional(),
  // A session's absolute end; a stateful one with no request (hybrid: no refresh) for the idle time ends sooner.
  SESSION_ABSOLUTE_TTL_SECONDS: seconds(7 * 24 * 3600, 60, 90 * 24 * 3600),
  SESSION_IDLE_TIMEOUT_SECONDS: seconds(30 * 60, 10, 90 * 24 * 3600),
  // Leeway for exp and nbf between servers' clocks.
  CLOCK_TOLERANCE_SECONDS: seconds(5, 0, 300),
  SESSION_ISSUER: z.string().min(1).default('jwt-sessions-reference'),
  SESSION_AUDIENCE: z.string().min(1).default('jwt-sessions-reference:web'),
  // Secure cookies with the __Host- prefix; browsers accept them on http://localhost too.
  COOKIE_SECURE: flag(process.env.NODE_ENV === 'production'),
  // The client's address is the X-Forwarded-For entry this many proxies of yours vouch for (the
  // right-most they did not add); 0 believes no X-Forwarded-For or X-Forwarded-Host at all.
  TRUST_PROXY: proxyHops,
});

/** A 32-byte key for one purpose, derived from SESSION_SECRET: the same on every instance. */
export function deriveKey(purpose: string) {
  return Buffer.from(hkdfSync('sha256', getSettings().SESSION_SECRET, 'jwt-sessions-reference', purpose, 32));
}

/** 128 bits of CSPRNG output as base64url (22 characters): session ids, token ids, row ids. */
export const RANDOM_ID = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export function randomId() {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}

/** The database keeps only this digest of a secret id, so a leaked table cannot be replayed as cookies. */
export function hashSecretId(id: string) {
  return createHash('sha256').update(id).digest('hex');
}
