import 'server-only';
// 01 · Settings, keys and ids: what every other file of the session code stands on.
// - Settings are read from the environment once and checked with zod, so a bad value stops the
//   server at start-up (checkSettings, 10-sessions.ts) instead of failing deep in a request. Each
//   file declares the settings it reads; a mode's own settings live in its file.
// - Every key is derived from SESSION_SECRET with HKDF, one per purpose, so no two uses share bytes.
// - Ids are 128 random bits; the database keeps only a hash of the secret ones.
// Next: 02-tokens.ts.
import { hash, hkdfSync } from 'node:crypto';
import { z } from 'zod';

/**
 * State shared by the whole process. Next.js bundles a module once per layer (the proxy, pages,
 * route handlers), so a module-level variable can exist several times in one server.
 */
export const shared = <T>(name: string, create: () => T): T => ((globalThis as Record<symbol, T>)[Symbol.for(`jwt-sessions-reference.${name}`)] ??= create());

// Settings are read again after a change of this number (tests that change process.env bump it).
const version = shared('settings-version', () => ({ current: 0 }));

/** A group of settings: a getter that reads and checks the environment once, and names every problem. */
export function settings<Shape extends z.ZodRawShape>(shape: Shape) {
  let cached: { version: number; value: z.infer<z.ZodObject<Shape>> } | undefined;
  return () => {
    if (cached?.version !== version.current) {
      const result = z.object(shape).safeParse(process.env);
      if (!result.success) throw new Error(`Invalid environment:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
      cached = { version: version.current, value: result.data };
    }
    return cached.value;
  };
}

export const seconds = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const WEAK_SECRETS = ['secret', 'changeme', 'password', 'your-256-bit-secret', 'development'];

/** The settings every mode shares. */
export const getSettings = settings({
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is required (at least 32 random bytes)' })
    .refine((s) => Buffer.byteLength(s) >= 32, 'SESSION_SECRET must be at least 32 bytes (256 bits)')
    .refine((s) => new Set(s).size >= 12, 'SESSION_SECRET looks low-entropy (too few distinct characters)')
    .refine((s) => !WEAK_SECRETS.some((weak) => s.toLowerCase().includes(weak)), 'SESSION_SECRET contains a well-known weak secret'),
  // A session's absolute end; a stateful one with no request (hybrid: no refresh) for the idle time ends sooner.
  SESSION_ABSOLUTE_TTL_SECONDS: seconds(7 * 24 * 3600, 60, 90 * 24 * 3600),
  SESSION_IDLE_TIMEOUT_SECONDS: seconds(30 * 60, 10, 90 * 24 * 3600),
  // Leeway for exp and nbf between servers' clocks.
  CLOCK_TOLERANCE_SECONDS: seconds(5, 0, 300),
  SESSION_ISSUER: z.string().min(1).default('jwt-sessions-reference'),
  SESSION_AUDIENCE: z.string().min(1).default('jwt-sessions-reference:web'),
  // Secure cookies with the __Host- prefix (browsers take them on http://localhost too).
  COOKIE_SECURE: z.stringbool().default(process.env.NODE_ENV === 'production'),
  // How many proxies of yours stand in front of the app: the client's address is the entry of
  // X-Forwarded-For they vouch for (11-dal.ts); 0 believes no forwarding header at all.
  TRUST_PROXY: z.coerce.number({ error: 'TRUST_PROXY must be the number of proxies in front of the app (0: none)' }).int().min(0).max(16).default(0),
});

/** A 32-byte key for one purpose, derived from SESSION_SECRET: the same on every instance. */
export const deriveKey = (purpose: string) => Buffer.from(hkdfSync('sha256', getSettings().SESSION_SECRET, 'jwt-sessions-reference', purpose, 32));

/** 128 bits of CSPRNG output as base64url (22 characters): session ids, token ids, row ids. */
export const RANDOM_ID = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const randomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');

/** The database keeps only this digest of a secret id, so a leaked table cannot be replayed as cookies. */
export const hashSecretId = (id: string) => hash('sha256', id);
