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

// How old a process's copy of the key set may grow before it signs again (see below).
const KEY_SET_MAX_AGE_MS = 60_000;

/**
 * How long a retired key stays published: another instance may go on signing with it until its
 * copy of the set is reloaded, and the last token it signs then lives one access lifetime, plus
 * clock skew.
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
 * The first keys of a new database: one to sign with, one published to come next. Two instances
 * starting at once may both create a pair; that is harmless (both pairs are published, the newest
 * current key signs).
 */
async function ensureSigningKeys() {
  const own = await readOwnKeys();
  if (!own.some((key) => stageOf(key) === 'current')) await createKey(new Date());
  if (!own.some((key) => stageOf(key) === 'next')) await createKey(null);
}

/** Every key a verifier should know now: next, current and the previous ones still needed. */
export async function listPublishedKeys(now = new Date()): Promise<PublishedKey[]> {
  await ensureSigningKeys();
  return (await readOwnKeys())
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
  await ensureSigningKeys();
  const db = getDb();
  const next = (await readOwnKeys()).find((key) => stageOf(key) === 'next');
  if (!next) return { ok: false, reason: 'concurrent' };
  const publishedMs = now.getTime() - next.createdAt.getTime();
  const leadMs = getEnv().SIGNING_KEY_PUBLISH_LEAD_SECONDS * 1000;
  if (publishedMs < leadMs) return { ok: false, reason: 'too-soon', waitSeconds: Math.min(Math.ceil((leadMs - publishedMs) / 1000), leadMs / 1000) };
  const activated = await db.signingKey.updateMany({ where: { kid: next.kid, activatedAt: null }, data: { activatedAt: now } });
  if (activated.count === 0) return { ok: false, reason: 'concurrent' };
  const retiring = await db.signingKey.findMany({ where: { activatedAt: { not: null }, retiredAt: null, kid: { not: next.kid } }, select: { kid: true } });
  await db.signingKey.updateMany({ where: { kid: { in: retiring.map((key) => key.kid) } }, data: { retiredAt: now } });
  const nextKid = await createKey(null);
  keySet.loadedAtMs = 0;
  keySet.attemptedAtMs = 0;
  return { ok: true, retired: retiring.map((key) => key.kid).join(', '), activated: next.kid, next: nextKid };
}

// The process's copy of the key set. Verification reads it synchronously (no query per request);
// it is reloaded when a token names a kid it does not know (at most once a second, failed
// attempts included, so tokens with made-up kids cannot turn into a query each), and before
// signing once it is KEY_SET_MAX_AGE_MS old.
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 1000;

type SigningKey = { kid: string; privateKey: KeyObject };

const keySet = processSingleton('signing-keys', () => ({
  loadedAtMs: 0,
  attemptedAtMs: 0,
  verification: new Map<string, KeyObject>(),
  signing: null as SigningKey | null,
  loading: null as Promise<void> | null,
}));

async function loadKeySet() {
  keySet.loading ??= (async () => {
    keySet.attemptedAtMs = Date.now();
    try {
      const published = await listPublishedKeys();
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

/** The public key of `kid` if it is published, as this process last loaded the set. No query. */
export function getVerificationKey(kid: string): KeyObject | undefined {
  return keySet.verification.get(kid);
}

/** Reloads the set for a kid this process does not know, unless it did so within the last second. */
export async function reloadKeysForUnknownKid(): Promise<boolean> {
  // Requests that arrive while a load is under way (the first burst after a start) wait for it.
  if (keySet.loading) {
    await keySet.loading;
    return true;
  }
  if (Date.now() - Math.max(keySet.loadedAtMs, keySet.attemptedAtMs) < UNKNOWN_KID_RELOAD_INTERVAL_MS) return false;
  await loadKeySet();
  return true;
}

/** The key that signs now (the newest current one). */
export async function getSigningKey(): Promise<SigningKey> {
  if (!keySet.signing || Date.now() - keySet.loadedAtMs > KEY_SET_MAX_AGE_MS) await loadKeySet();
  if (!keySet.signing) throw new Error('No current signing key');
  return keySet.signing;
}
