import 'server-only';
// Hybrid mode's Ed25519 signing keys: asymmetric, so a service holding only the published public
// keys (verifier/server.mjs) can check an access token without the secret and without the database.
//
// Each key has a life of three stages, recorded on its SigningKey row:
//   next      published at /.well-known/jwks.json, signs nothing yet (activatedAt null)
//   current   published and signing (activatedAt set, retiredAt null)
//   previous  published, no longer signing, until the last token it signed has expired
// A rotation (rotateSigningKeys) makes next current, current previous, and creates a new next.
// So a key is in every verifier's key set before the first token it signs is, and stays there
// for as long as a token it signed can be presented: nobody is signed out by a rotation.
//
// The rows hold only public keys. The private half of each key is derived from SESSION_SECRET
// and the key's random kid with HKDF, so every instance that shares the secret can sign with it
// and no private key is ever written anywhere. (The root of trust is still SESSION_SECRET, as it
// is for the HS256 modes: a rotation retires key material, it does not replace the secret.)
import { createPrivateKey, createPublicKey, hkdfSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { processSingleton } from '@/lib/process-state';
import { randomId } from '@/lib/session/ids';

type PublicJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };

type SigningKeyStage = 'next' | 'current' | 'previous';

export type PublishedKey = { kid: string; stage: SigningKeyStage; jwk: PublicJwk; createdAt: Date; activatedAt: Date | null; retiredAt: Date | null };

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): node:crypto imports keys, not seeds.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The private key of `kid`: the same on every instance that has the same SESSION_SECRET. */
function derivePrivateKey(kid: string): KeyObject {
  const seed = Buffer.from(hkdfSync('sha256', getEnv().SESSION_SECRET, 'jwt-sessions-reference', `ed25519-signing-key:${kid}`, 32));
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicJwkOf(kid: string, privateKey: KeyObject): PublicJwk {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as JsonWebKey & { x: string };
  return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
}

// How old a process's copy of the key set may grow: before it signs, serves the JWKS or verifies,
// a copy this old is reloaded (see below).
export const KEY_SET_MAX_AGE_MS = 30_000;

/**
 * How long a retired key stays published: another instance may go on signing with it until its
 * copy of the set is reloaded, and the last token it signs then lives one access lifetime, plus
 * clock skew. After that its row is deleted (purgeRetiredKeys).
 */
function publicationAfterRetirementMs() {
  const env = getEnv();
  return KEY_SET_MAX_AGE_MS + (env.HYBRID_ACCESS_TTL_SECONDS + env.CLOCK_TOLERANCE_SECONDS) * 1000;
}

type KeyRow = { kid: string; publicJwk: string; createdAt: Date; activatedAt: Date | null; retiredAt: Date | null };

/**
 * The rows whose public key is the one this server derives for their kid. A row written by anyone
 * else (a key of their own slipped into the table), or under another SESSION_SECRET, is ignored:
 * a stored public key alone must never be trusted to verify.
 */
async function readOwnKeys(): Promise<(KeyRow & { jwk: PublicJwk })[]> {
  const rows = await getDb().signingKey.findMany({ orderBy: { createdAt: 'asc' } });
  return rows.flatMap((row) => {
    const jwk = publicJwkOf(row.kid, derivePrivateKey(row.kid));
    return (JSON.parse(row.publicJwk) as { x?: unknown }).x === jwk.x ? [{ ...row, jwk }] : [];
  });
}

function stageOf(row: KeyRow): SigningKeyStage {
  if (!row.activatedAt) return 'next';
  return row.retiredAt ? 'previous' : 'current';
}

function isPublished(row: KeyRow, now: Date) {
  return !row.retiredAt || row.retiredAt.getTime() + publicationAfterRetirementMs() > now.getTime();
}

async function createKey(activatedAt: Date | null) {
  const kid = randomId();
  const publicJwk = JSON.stringify(publicJwkOf(kid, derivePrivateKey(kid)));
  await getDb().signingKey.create({ data: { kid, publicJwk, activatedAt } });
  return kid;
}

/**
 * The server's keys, after creating the first ones of a new database: one to sign with, one
 * published to come next. Two instances starting at once may both create a pair; that is harmless
 * (both pairs are published, the newest current key signs).
 */
async function readSigningKeys() {
  const own = await readOwnKeys();
  const missingCurrent = !own.some((key) => stageOf(key) === 'current');
  const missingNext = !own.some((key) => stageOf(key) === 'next');
  if (missingCurrent) await createKey(new Date());
  if (missingNext) await createKey(null);
  return missingCurrent || missingNext ? readOwnKeys() : own;
}

/** Every key a verifier should know now: next, current and the previous ones still needed. Read from the database. */
export async function listPublishedKeys(now = new Date()): Promise<PublishedKey[]> {
  return publishedOf(await readSigningKeys(), now);
}

function publishedOf(rows: (KeyRow & { jwk: PublicJwk })[], now: Date): PublishedKey[] {
  return rows
    .filter((row) => isPublished(row, now))
    .map((row) => ({
      kid: row.kid,
      stage: stageOf(row),
      jwk: row.jwk,
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      retiredAt: row.retiredAt,
    }));
}

export type RotationResult =
  | { ok: true; retired: string; activated: string; next: string }
  /** `waitSeconds`: the next key has not been published long enough for verifiers to have fetched it. */
  | { ok: false; reason: 'too-soon'; waitSeconds: number }
  | { ok: false; reason: 'concurrent' };

/**
 * Rotates: the next key starts signing, the current one retires (still published until its last
 * token expires), and a new next key is published. Refused while the next key is younger than
 * SIGNING_KEY_PUBLISH_LEAD_SECONDS (a verifier that cached the key set just before it appeared
 * would not know it yet), and if another rotation got there first, so two at once skip no key.
 */
export async function rotateSigningKeys(now = new Date()): Promise<RotationResult> {
  const db = getDb();
  const next = (await readSigningKeys()).find((key) => stageOf(key) === 'next');
  if (!next) return { ok: false, reason: 'concurrent' };
  const publishedMs = now.getTime() - next.createdAt.getTime();
  const leadMs = getEnv().SIGNING_KEY_PUBLISH_LEAD_SECONDS * 1000;
  if (publishedMs < leadMs) return { ok: false, reason: 'too-soon', waitSeconds: Math.min(Math.ceil((leadMs - publishedMs) / 1000), leadMs / 1000) };
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

/** Deletes the rows of retired keys whose publication window has passed: no live token names them. */
export async function purgeRetiredKeys(now = new Date()) {
  const { count } = await getDb().signingKey.deleteMany({ where: { retiredAt: { lt: new Date(now.getTime() - publicationAfterRetirementMs()) } } });
  return count;
}

// The process's copy of the key set. Verification reads it synchronously (no query per request);
// it is reloaded when a token names a kid it does not know (at most once a second, failed
// attempts included, so tokens with made-up kids cannot turn into a query each), and once it is
// KEY_SET_MAX_AGE_MS old: before signing or serving the JWKS (waiting for the load), and on a
// verification (in the background, so a request that only verifies never waits on the database).
// So an instance that only verifies learns of a key deleted or added elsewhere within that age.
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 1000;

type SigningKey = { kid: string; privateKey: KeyObject };

const keySet = processSingleton('signing-keys', () => ({
  loadedAtMs: 0,
  attemptedAtMs: 0,
  verification: new Map<string, KeyObject>(),
  published: [] as PublishedKey[],
  signing: null as SigningKey | null,
  loading: null as Promise<void> | null,
}));

async function loadKeySet() {
  keySet.loading ??= (async () => {
    keySet.attemptedAtMs = Date.now();
    try {
      const published = await listPublishedKeys();
      keySet.published = published;
      keySet.verification = new Map(published.map((key) => [key.kid, createPublicKey({ key: key.jwk, format: 'jwk' })]));
      const current = published.filter((key) => key.stage === 'current').sort((a, b) => b.activatedAt!.getTime() - a.activatedAt!.getTime())[0];
      keySet.signing = current ? { kid: current.kid, privateKey: derivePrivateKey(current.kid) } : null;
      keySet.loadedAtMs = Date.now();
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
  if (Date.now() - Math.max(keySet.loadedAtMs, keySet.attemptedAtMs) < UNKNOWN_KID_RELOAD_INTERVAL_MS) return null;
  return loadKeySet();
}

/**
 * The public key of `kid` if it is published, as this process last loaded the set. No query; a
 * copy past its age is reloaded in the background for the requests that follow.
 */
export function getVerificationKey(kid: string): KeyObject | undefined {
  if (isStale()) reloadSoon()?.catch((error) => console.warn(`signing keys: reload failed: ${(error as Error).message}`));
  return keySet.verification.get(kid);
}

/**
 * The published keys as this process holds them, for the JWKS: no query per request, a reload
 * once the copy is KEY_SET_MAX_AGE_MS old. `maxAgeSeconds` is how long a client may cache it so
 * that it still learns a next key before that key can sign: the lead time a key is published
 * ahead of its rotation, less the age of this copy.
 */
export async function getPublishedKeySet(): Promise<{ keys: PublicJwk[]; maxAgeSeconds: number }> {
  const load = isStale() || !keySet.published.length ? reloadSoon() : null;
  // A copy that could not be refreshed is still served (an outage); only having none is an error.
  await load?.catch((error) => {
    if (!keySet.published.length) throw error;
  });
  const maxAgeSeconds = Math.max(0, getEnv().SIGNING_KEY_PUBLISH_LEAD_SECONDS - KEY_SET_MAX_AGE_MS / 1000);
  return { keys: keySet.published.map((key) => key.jwk), maxAgeSeconds };
}

/** Reloads the set for a kid this process does not know, unless it did so within the last second. */
export async function reloadKeysForUnknownKid(): Promise<boolean> {
  // Requests that arrive while a load is under way (the first burst after a start) wait for it.
  const load = reloadSoon();
  if (!load) return false;
  await load;
  return true;
}

/** The key that signs now (the newest current one). */
export async function getSigningKey(): Promise<SigningKey> {
  if (!keySet.signing || isStale()) await loadKeySet();
  if (!keySet.signing) throw new Error('No current signing key');
  return keySet.signing;
}
