import 'server-only';
// 08 · Hybrid mode, first part: its settings, and its Ed25519 signing keys, asymmetric so that a
// service holding only the published public keys (GET /.well-known/jwks.json) can check a token
// without the secret and without the database.
//
// Each key has three stages, recorded on its SigningKey row:
//   next      published, signs nothing yet (activatedAt null)
//   current   published and signing (activatedAt set, retiredAt null)
//   previous  published, no longer signing, until the last token it signed has expired; then deleted
// A rotation makes next current, current previous, and creates a new next. So a key is in every
// verifier's key set before the first token it signs is, and stays there for as long as a token it
// signed can be presented: nobody is signed out by a rotation.
//
// The rows hold only public keys. The private half of each key is derived from SESSION_SECRET and
// the key's random kid, so every instance that shares the secret can sign with it and no private
// key is written anywhere. (The root of trust is still SESSION_SECRET: a rotation retires key
// material, it does not replace the secret.) A row whose public key is not the one derived for its
// kid (written by anyone else, or under another secret) is ignored.
// Next: 09-hybrid.ts.
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { deriveKey, getSettings, randomId, seconds, settings, shared } from './01-settings';

const readHybridSettings = settings({
  // The access token's lifetime: the longest a signed-out hybrid device keeps reading.
  HYBRID_ACCESS_TTL_SECONDS: seconds(5 * 60, 5, 3600),
  // The proxy renews an access token this long before its exp.
  HYBRID_REFRESH_LEEWAY_SECONDS: seconds(30, 0, 600),
  // How long a new key is published before a rotation may make it sign.
  SIGNING_KEY_PUBLISH_LEAD_SECONDS: seconds(60, 0, 24 * 3600),
});

export function getHybridSettings() {
  const values = readHybridSettings();
  // Otherwise every access token would be due the moment it is issued: a refresh per request.
  if (values.HYBRID_REFRESH_LEEWAY_SECONDS >= values.HYBRID_ACCESS_TTL_SECONDS) {
    throw new Error(
      `HYBRID_REFRESH_LEEWAY_SECONDS (${values.HYBRID_REFRESH_LEEWAY_SECONDS}) must be less than HYBRID_ACCESS_TTL_SECONDS (${values.HYBRID_ACCESS_TTL_SECONDS})`,
    );
  }
  return values;
}

type PublicJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
type Stage = 'next' | 'current' | 'previous';
type KeyRow = { kid: string; publicJwk: string; createdAt: Date; activatedAt: Date | null; retiredAt: Date | null };
type PublishedKey = Omit<KeyRow, 'publicJwk'> & { stage: Stage; jwk: PublicJwk };

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): node:crypto imports keys, not seeds.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The private key of `kid`: the same on every instance that has the same SESSION_SECRET. */
function privateKeyOf(kid: string): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, deriveKey(`ed25519-signing-key:${kid}`)]), format: 'der', type: 'pkcs8' });
}

function publicJwkOf(kid: string): PublicJwk {
  const { x } = createPublicKey(privateKeyOf(kid)).export({ format: 'jwk' }) as JsonWebKey & { x: string };
  return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
}

// How old a process's copy of the key set may grow: before it signs, serves the set or verifies,
// a copy this old is reloaded (see below).
const KEY_SET_MAX_AGE_MS = 30_000;

/**
 * How long a retired key stays published: another instance may sign with it until its copy of the
 * set is reloaded, and the last token it signs then lives one access lifetime, plus clock skew.
 */
function publishedAfterRetirementMs() {
  return KEY_SET_MAX_AGE_MS + (getHybridSettings().HYBRID_ACCESS_TTL_SECONDS + getSettings().CLOCK_TOLERANCE_SECONDS) * 1000;
}

const stageOf = (row: Pick<KeyRow, 'activatedAt' | 'retiredAt'>): Stage => (!row.activatedAt ? 'next' : row.retiredAt ? 'previous' : 'current');

async function createKey(activatedAt: Date | null) {
  const kid = randomId();
  await getDb().signingKey.create({ data: { kid, publicJwk: JSON.stringify(publicJwkOf(kid)), activatedAt } });
  return kid;
}

/**
 * The server's own keys (a row with another public key is ignored), after creating the first ones
 * of a new database. Two instances starting at once may both create a pair; that is harmless (both
 * are published, the newest current key signs).
 */
async function readSigningKeys() {
  const read = async () =>
    (await getDb().signingKey.findMany({ orderBy: { createdAt: 'asc' } })).flatMap((row) => {
      const jwk = publicJwkOf(row.kid);
      return (JSON.parse(row.publicJwk) as { x?: unknown }).x === jwk.x ? [{ ...row, jwk }] : [];
    });
  const own = await read();
  const missing = (['current', 'next'] as const).filter((stage) => !own.some((key) => stageOf(key) === stage));
  for (const stage of missing) await createKey(stage === 'current' ? new Date() : null);
  return missing.length ? read() : own;
}

/** Every key a verifier should know at `now`: next, current and the previous ones still needed. Read from the database. */
export async function listPublishedKeys(now = new Date()): Promise<PublishedKey[]> {
  return (await readSigningKeys())
    .filter((row) => !row.retiredAt || row.retiredAt.getTime() + publishedAfterRetirementMs() > now.getTime())
    .map(({ publicJwk: _stored, ...row }) => ({ ...row, stage: stageOf(row) }));
}

type RotationResult =
  | { ok: true; retired: string; activated: string; next: string }
  /** `waitSeconds`: the next key has not been published long enough for verifiers to have fetched it. */
  | { ok: false; reason: 'too-soon'; waitSeconds: number }
  | { ok: false; reason: 'concurrent' };

/**
 * Rotates: the next key starts signing, the current one retires, and a new next key is published.
 * Refused while the next key is younger than SIGNING_KEY_PUBLISH_LEAD_SECONDS (a verifier that
 * fetched the set just before it appeared would not know it yet), and if another rotation got
 * there first, so two at once skip no key.
 */
export async function rotateSigningKeys(now = new Date()): Promise<RotationResult> {
  const db = getDb();
  const next = (await readSigningKeys()).find((key) => stageOf(key) === 'next');
  if (!next) return { ok: false, reason: 'concurrent' };
  const leadMs = getHybridSettings().SIGNING_KEY_PUBLISH_LEAD_SECONDS * 1000;
  const waitMs = next.createdAt.getTime() + leadMs - now.getTime();
  if (waitMs > 0) return { ok: false, reason: 'too-soon', waitSeconds: Math.min(Math.ceil(waitMs / 1000), leadMs / 1000) };
  const activated = await db.signingKey.updateMany({ where: { kid: next.kid, activatedAt: null }, data: { activatedAt: now } });
  if (activated.count === 0) return { ok: false, reason: 'concurrent' };
  const retiring = await db.signingKey.findMany({ where: { activatedAt: { not: null }, retiredAt: null, kid: { not: next.kid } }, select: { kid: true } });
  await db.signingKey.updateMany({ where: { kid: { in: retiring.map((key) => key.kid) } }, data: { retiredAt: now } });
  const nextKid = await createKey(null);
  await purgeRetiredKeys(now);
  keySet.loadedAtMs = 0;
  keySet.attemptedAtMs = 0;
  return { ok: true, retired: retiring.map((key) => key.kid).join(', '), activated: next.kid, next: nextKid };
}

/** Deletes retired keys whose publication has ended: no live token names them. */
export async function purgeRetiredKeys(now = new Date()) {
  const { count } = await getDb().signingKey.deleteMany({ where: { retiredAt: { lt: new Date(now.getTime() - publishedAfterRetirementMs()) } } });
  return count;
}

// The process's copy of the key set: verification reads it with no query. It is reloaded when a
// token names a kid it does not know (at most once a second, failed attempts included, so tokens
// with made-up kids cannot turn into a query each), and once it is KEY_SET_MAX_AGE_MS old: before
// signing or serving the set (waiting for the load), and on a verification (in the background, so
// a request that only verifies never waits on the database). So an instance that only verifies
// learns of a key deleted or added elsewhere within that age.
const RELOAD_INTERVAL_MS = 1000;

const keySet = shared('signing-keys', () => ({
  loadedAtMs: 0,
  attemptedAtMs: 0,
  published: [] as PublishedKey[],
  verification: new Map<string, CryptoKey>(),
  signing: null as { kid: string; privateKey: KeyObject } | null,
  loading: null as Promise<void> | null,
}));

function loadKeySet() {
  keySet.loading ??= (async () => {
    keySet.attemptedAtMs = Date.now();
    try {
      const published = await listPublishedKeys();
      const imported = await Promise.all(published.map((key) => crypto.subtle.importKey('jwk', key.jwk, { name: 'Ed25519' }, false, ['verify'])));
      const current = published.filter((key) => key.stage === 'current').sort((a, b) => b.activatedAt!.getTime() - a.activatedAt!.getTime())[0];
      Object.assign(keySet, {
        published,
        verification: new Map(published.map((key, i) => [key.kid, imported[i]])),
        signing: current ? { kid: current.kid, privateKey: privateKeyOf(current.kid) } : null,
        loadedAtMs: Date.now(),
      });
    } finally {
      keySet.loading = null;
    }
  })();
  return keySet.loading;
}

const isStale = () => Date.now() - keySet.loadedAtMs > KEY_SET_MAX_AGE_MS;

/** A reload unless one ran or failed within the last second; null when none was started. */
function reloadSoon(): Promise<void> | null {
  if (keySet.loading) return keySet.loading;
  if (Date.now() - Math.max(keySet.loadedAtMs, keySet.attemptedAtMs) < RELOAD_INTERVAL_MS) return null;
  return loadKeySet();
}

/**
 * The public key of `kid` if it is published. No query, except for a kid this process has not
 * loaded yet (the first request after a start, or a key another instance just rotated in).
 */
export async function getVerificationKey(kid: string | undefined): Promise<CryptoKey | undefined> {
  if (isStale()) reloadSoon()?.catch((error) => console.warn(`signing keys: reload failed: ${(error as Error).message}`));
  if (!kid || keySet.verification.has(kid)) return kid ? keySet.verification.get(kid) : undefined;
  await reloadSoon();
  return keySet.verification.get(kid);
}

/** The key that signs now (the newest current one). */
export async function getSigningKey() {
  if (!keySet.signing || isStale()) await loadKeySet();
  if (!keySet.signing) throw new Error('No current signing key');
  return keySet.signing;
}

/**
 * The published keys as this process holds them, for the JWKS: no query per request. `maxAgeSeconds`
 * is how long a client may cache them and still learn a next key before it can sign: the lead a
 * key is published ahead of its rotation, less the age of this copy.
 */
export async function getPublishedKeySet() {
  const load = isStale() || !keySet.published.length ? reloadSoon() : null;
  // A copy that could not be refreshed is still served (an outage); only having none is an error.
  await load?.catch((error) => {
    if (!keySet.published.length) throw error;
  });
  const maxAgeSeconds = Math.max(0, getHybridSettings().SIGNING_KEY_PUBLISH_LEAD_SECONDS - KEY_SET_MAX_AGE_MS / 1000);
  return { keys: keySet.published.map((key) => key.jwk), maxAgeSeconds };
}
