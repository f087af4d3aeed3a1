import 'server-only';
// Signing and verifying session JWTs. Every mode goes through here, so the rules of RFC 8725 live
// in one place: each mode has its own `typ` and its one algorithm (HS256 for stateless and
// stateful, EdDSA with a `kid` for hybrid's access token), exp, iat, iss and aud are required, and
// any other header (jku, jwk, x5u, x5c, crit…) is refused: a key never comes from the token.
//
// jose signs. Verification is written out with node:crypto, because for the one shape of token
// this app accepts, jose's generality (WebCrypto's async round trip, every algorithm, every header)
// cost 140 µs a check against 8 µs for the same HMAC done directly. It applies jose's rules in
// jose's order, so it refuses what jose refuses, with the same reason: tests/unit/token-equivalence
// checks that on thousands of mutated tokens, and the security suite attacks it over HTTP.
// Tokens that pass are remembered until they expire (token-cache.ts), so the proxy's check and
// the data-access layer's check of one request cost one verification, not two.
import { createHmac, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { RANDOM_ID } from '@/lib/session/ids';
import { processSingleton } from '@/lib/process-state';
import { hashSecretId } from './hash';
import { getJwtHmacKey } from './keys';
import { getSigningKey, getVerificationKey, reloadKeysForUnknownKid } from './signing-keys';
import { createTokenCache, type TokenCache } from './token-cache';

export const TOKEN_TYPES: Record<SessionMode, string> = {
  stateless: 'session-stateless+jwt',
  stateful: 'session-stateful+jwt',
  hybrid: 'session-hybrid+jwt',
};

/** Each mode's one algorithm and the only header parameters its tokens carry. */
const HEADER_RULES: Record<SessionMode, { alg: 'HS256' | 'EdDSA'; keys: ReadonlySet<string> }> = {
  stateless: { alg: 'HS256', keys: new Set(['alg', 'typ']) },
  stateful: { alg: 'HS256', keys: new Set(['alg', 'typ']) },
  // The kid only picks one of the server's own published keys; an unknown kid is refused.
  hybrid: { alg: 'EdDSA', keys: new Set(['alg', 'typ', 'kid']) },
};
/** Comfortably above any token this app issues, far below the 16 KiB header limit. */
export const MAX_TOKEN_LENGTH = 4096;

const STANDARD = { iat: z.number().int(), exp: z.number().int(), iss: z.string(), aud: z.union([z.string(), z.array(z.string())]) };

const StatelessClaims = z.object({
  ...STANDARD,
  mode: z.literal('stateless'),
  sub: z.string().min(1).max(64),
  name: z.string().max(200),
  role: z.string().max(32),
  jti: RANDOM_ID,
});

const StatefulClaims = z.object({
  ...STANDARD,
  mode: z.literal('stateful'),
  sid: RANDOM_ID,
});

// The access token of hybrid mode: what a stateless token carries, plus `sid`, the session row's
// public id (for writes and refreshes; not a secret here, see hybrid.ts). Short-lived: the
// refresh token renews it.
const HybridClaims = z.object({
  ...STANDARD,
  mode: z.literal('hybrid'),
  sub: z.string().min(1).max(64),
  name: z.string().max(200),
  role: z.string().max(32),
  sid: RANDOM_ID,
  jti: RANDOM_ID,
});

export type StatelessPayload = z.infer<typeof StatelessClaims>;
export type HybridPayload = z.infer<typeof HybridClaims>;
export type StatefulPayload = z.infer<typeof StatefulClaims>;

/** `tokenHash`: SHA-256 of the secret id (jti or sid), the Session row's key; computed once per token. */
export type VerifiedToken =
  | { mode: 'stateless'; header: Record<string, unknown>; payload: StatelessPayload; tokenHash: string }
  | { mode: 'stateful'; header: Record<string, unknown>; payload: StatefulPayload; tokenHash: string }
  | { mode: 'hybrid'; header: Record<string, unknown>; payload: HybridPayload; tokenHash: string };

/** `unknown-key`: a hybrid token whose kid is not a published key. */
type TokenRejection = 'missing' | 'malformed' | 'header' | 'mode-not-allowed' | 'unknown-key' | 'signature' | 'expired' | 'claims';

export type TokenResult = { ok: true; token: VerifiedToken } | { ok: false; reason: TokenRejection };

/**
 * A session token with its header and every claim set, ready to sign. iat is the instant the
 * caller computed exp from, not the moment of signing, so exp - iat is exactly the lifetime given.
 */
export function buildSessionToken(mode: SessionMode, claims: Record<string, unknown>, expiresAt: Date, kid?: string, issuedAt = new Date()): SignJWT {
  const env = getEnv();
  return new SignJWT({ ...claims, mode })
    .setProtectedHeader({ alg: HEADER_RULES[mode].alg, typ: TOKEN_TYPES[mode], ...(kid ? { kid } : {}) })
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setIssuer(env.SESSION_ISSUER)
    .setAudience(env.SESSION_AUDIENCE)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000));
}

/** Signs with the mode's key: the HS256 secret, or for hybrid the current Ed25519 key (named by kid). */
export async function signToken(mode: SessionMode, claims: Record<string, unknown>, expiresAt: Date, issuedAt = new Date()): Promise<string> {
  if (HEADER_RULES[mode].alg === 'HS256') return buildSessionToken(mode, claims, expiresAt, undefined, issuedAt).sign(getJwtHmacKey());
  const { kid, privateKey } = await getSigningKey();
  return buildSessionToken(mode, claims, expiresAt, kid, issuedAt).sign(privateKey);
}

/** The mode a header names, or null if it is not exactly one this server writes. */
export function modeOfHeader(header: Record<string, unknown>): SessionMode | null {
  const entry = Object.entries(TOKEN_TYPES).find(([, typ]) => typ === header.typ);
  if (!entry) return null;
  const mode = entry[0] as SessionMode;
  const rule = HEADER_RULES[mode];
  if (Object.keys(header).some((key) => !rule.keys.has(key))) return null;
  if (header.alg !== rule.alg) return null;
  if (rule.keys.has('kid') && !RANDOM_ID.safeParse(header.kid).success) return null;
  return mode;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// Strict, as jose decodes: invalid UTF-8 is an error, not a replacement character.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON object (not an array, not null) from a base64url segment, or null. Only the base64url
 * alphabet, and no dangling last character (length ≡ 1 mod 4 encodes no whole byte; Buffer would
 * quietly drop it, jose refuses it).
 */
function decodeObject(segment: string): Record<string, unknown> | null {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return null;
  try {
    const value: unknown = JSON.parse(UTF8.decode(Buffer.from(segment, 'base64url')));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function signatureHolds(signingInput: string, signature: string) {
  const expected = createHmac('sha256', getJwtHmacKey()).update(signingInput).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const ED25519_SIGNATURE_BYTES = 64;

/** Ed25519 against the published key the header names; undefined when no such key is published. */
function asymmetricSignatureHolds(kid: string, signingInput: string, signature: string): boolean | undefined {
  const key = getVerificationKey(kid);
  if (!key) return undefined;
  const given = Buffer.from(signature, 'base64url');
  return given.length === ED25519_SIGNATURE_BYTES && verifySignature(null, Buffer.from(signingInput), key, given);
}

/** jose's rule: expired once `exp` is at or before now, less the tolerance. */
function isExpired(expSeconds: number, nowSeconds: number) {
  return expSeconds <= nowSeconds - getEnv().CLOCK_TOLERANCE_SECONDS;
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/** jose's validateClaimsSet, for the options this app passes, in its order. */
function checkRegisteredClaims(payload: Record<string, unknown>, now: number): 'claims' | 'expired' | null {
  const env = getEnv();
  const tolerance = env.CLOCK_TOLERANCE_SECONDS;
  if (!('exp' in payload && 'iat' in payload && 'iss' in payload && 'aud' in payload)) return 'claims';
  if (payload.iss !== env.SESSION_ISSUER) return 'claims';
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!audiences.includes(env.SESSION_AUDIENCE)) return 'claims';
  if (payload.iat !== undefined && typeof payload.iat !== 'number') return 'claims';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + tolerance)) return 'claims';
  if (payload.exp !== undefined && typeof payload.exp !== 'number') return 'claims';
  if (isExpired(payload.exp as number, now)) return 'expired';
  return null;
}

/**
 * Verifies signature and claims from scratch, with no cache. Never throws: anything wrong is a
 * rejection with a reason. The same checks as before, cheapest first, so garbage costs no HMAC.
 */
export function verifyTokenUncached(token: string | undefined | null): TokenResult {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const segments = token.split('.');
  if (segments.length !== 3) return { ok: false, reason: 'malformed' };
  const [encodedHeader, encodedPayload, signature] = segments;
  // Base64url leaves spare bits in the last character: several spellings decode to one signature.
  // Only the spelling this server wrote is accepted, so a token is valid byte for byte or not at all.
  if (!BASE64URL.test(signature) || Buffer.from(signature, 'base64url').toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
  const header = decodeObject(encodedHeader);
  if (!header) return { ok: false, reason: 'malformed' };
  const mode = modeOfHeader(header);
  if (!mode) return { ok: false, reason: 'header' };
  if (!getEnv().SESSION_MODES.includes(mode)) return { ok: false, reason: 'mode-not-allowed' };
  // jose's order: the signature before the payload is even decoded.
  const signingInput = `${encodedHeader}.${encodedPayload}`;
  const holds = mode === 'hybrid' ? asymmetricSignatureHolds(header.kid as string, signingInput, signature) : signatureHolds(signingInput, signature);
  if (holds === undefined) return { ok: false, reason: 'unknown-key' };
  if (!holds) return { ok: false, reason: 'signature' };
  const payload = decodeObject(encodedPayload);
  if (!payload) return { ok: false, reason: 'malformed' };
  const refusal = checkRegisteredClaims(payload, nowSeconds());
  if (refusal) return { ok: false, reason: refusal };
  return parseSessionClaims(mode, header, payload);
}

/** The app's own claims of each mode, after the registered ones held. */
export function parseSessionClaims(mode: SessionMode, header: Record<string, unknown>, payload: unknown): TokenResult {
  if (mode === 'stateless') {
    const parsed = StatelessClaims.safeParse(payload);
    return parsed.success
      ? { ok: true, token: { mode, header, payload: parsed.data, tokenHash: hashSecretId(parsed.data.jti) } }
      : { ok: false, reason: 'claims' };
  }
  if (mode === 'hybrid') {
    const parsed = HybridClaims.safeParse(payload);
    return parsed.success
      ? { ok: true, token: { mode, header, payload: parsed.data, tokenHash: hashSecretId(parsed.data.sid) } }
      : { ok: false, reason: 'claims' };
  }
  const parsed = StatefulClaims.safeParse(payload);
  return parsed.success
    ? { ok: true, token: { mode, header, payload: parsed.data, tokenHash: hashSecretId(parsed.data.sid) } }
    : { ok: false, reason: 'claims' };
}

// On globalThis: the proxy and the data-access layer run in one process but in separate bundles.
const cache = processSingleton('verified-tokens', () => ({ tokens: undefined as TokenCache<VerifiedToken> | undefined }));

function verifiedTokens() {
  cache.tokens ??= createTokenCache<VerifiedToken>(getEnv().VERIFIED_TOKEN_CACHE_ENTRIES, isExpired);
  return cache.tokens;
}

/**
 * Verifies signature and claims; a token this process verified before is taken from the cache
 * until its exp. The verified token is frozen, so no caller can change what the next one reads.
 */
export function verifyToken(token: string | undefined | null): TokenResult {
  if (!token) return { ok: false, reason: 'missing' };
  const tokens = verifiedTokens();
  const known = tokens.get(token, nowSeconds());
  if (known) return { ok: true, token: known };
  const result = verifyTokenUncached(token);
  if (result.ok) {
    deepFreeze(result.token);
    tokens.set(token, result.token, result.token.payload.exp);
  }
  return result;
}

/**
 * verifyToken, except that a hybrid token naming a kid this process has not loaded yet (the first
 * request after a start, or a key another instance just rotated in) reloads the key set once and
 * tries again. Made-up kids cost at most one reload a second (signing-keys.ts).
 */
export function verifyTokenLoadingKeys(token: string | undefined | null): TokenResult | Promise<TokenResult> {
  const result = verifyToken(token);
  if (result.ok || result.reason !== 'unknown-key') return result;
  return reloadKeysForUnknownKid().then((reloaded) => (reloaded ? verifyToken(token) : result));
}

function deepFreeze(value: object) {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') deepFreeze(inner);
  Object.freeze(value);
}
