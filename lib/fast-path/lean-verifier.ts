import 'server-only';
// A speed-up beside the session core, not part of it: a token verifier that reaches jose's verdict,
// reason for reason, for the one shape of token this app issues, written out with node:crypto, and
// a bounded cache of the tokens it verified. jose's generality (WebCrypto's async round trip, every
// algorithm, every header) costs about 100 µs a check; this costs a few, and a cached token less
// than one. It plugs in through the core's setTokenVerifier (install.ts), and keeps the core's
// rules: each mode's typ, algorithm, claims and key resolver come from the mode, as jose gets them.
// Its proof: tests/unit/token-equivalence.test.ts holds it to jose's verdicts on thousands of
// mutated and re-signed tokens, against rules written in the test itself.
import { createHmac, KeyObject, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { getSettings } from '@/lib/session/01-settings';
import { z } from 'zod';
import type { TokenRules, TokenVerifier, VerifiedToken } from '@/lib/session/02-tokens';
import { createTokenCache } from './token-cache';

type TokenResult = Awaited<ReturnType<TokenVerifier>>;

const MAX_TOKEN_LENGTH = 4096;
// The core's rule for the registered claims (02-tokens.ts): whole numbers and strings.
const REGISTERED_CLAIMS = z.object({ iat: z.number().int(), exp: z.number().int(), iss: z.string(), aud: z.union([z.string(), z.array(z.string())]) });
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// Strict, as jose decodes: invalid UTF-8 is an error, not a replacement character.
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const ED25519_SIGNATURE_BYTES = 64;

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

/** The mode a header names, by the core's rule: its typ, its one algorithm, and no other parameter. */
function modeOf(header: Record<string, unknown>, modes: Record<string, TokenRules>) {
  const entry = Object.entries(modes).find(([, rules]) => rules.typ === header.typ);
  if (!entry) return null;
  const allowed = entry[1].alg === 'EdDSA' ? ['alg', 'typ', 'kid'] : ['alg', 'typ'];
  return Object.keys(header).every((name) => allowed.includes(name)) && header.alg === entry[1].alg ? entry[0] : null;
}

// A WebCrypto key as node:crypto uses it, converted once per key.
const keyObjects = new WeakMap<object, KeyObject>();

function asKeyObject(key: Awaited<ReturnType<TokenRules['verificationKey']>>): KeyObject | undefined {
  if (!key || key instanceof KeyObject) return key as KeyObject | undefined;
  if (key instanceof Uint8Array) return undefined;
  let known = keyObjects.get(key);
  if (!known) keyObjects.set(key, (known = KeyObject.from(key as unknown as Parameters<typeof KeyObject.from>[0])));
  return known;
}

function signatureHolds(alg: TokenRules['alg'], key: KeyObject, signingInput: string, signature: string) {
  const given = Buffer.from(signature, 'base64url');
  if (alg === 'EdDSA') return given.length === ED25519_SIGNATURE_BYTES && verifySignature(null, Buffer.from(signingInput), key, given);
  const expected = createHmac('sha256', key).update(signingInput).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** jose's rule: expired once `exp` is at or before now, less the tolerance. */
const isExpired = (expSeconds: number, nowSeconds: number) => expSeconds <= nowSeconds - getSettings().CLOCK_TOLERANCE_SECONDS;

/** jose's validateClaimsSet, for the options the core passes (02-tokens.ts), in its order. */
function checkRegisteredClaims(payload: Record<string, unknown>, now: number): 'claims' | 'expired' | null {
  const { SESSION_ISSUER, SESSION_AUDIENCE, CLOCK_TOLERANCE_SECONDS: tolerance } = getSettings();
  if (!('exp' in payload && 'iat' in payload && 'iss' in payload && 'aud' in payload)) return 'claims';
  if (payload.iss !== SESSION_ISSUER) return 'claims';
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!audiences.includes(SESSION_AUDIENCE)) return 'claims';
  if (typeof payload.iat !== 'number') return 'claims';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + tolerance)) return 'claims';
  if (typeof payload.exp !== 'number') return 'claims';
  return isExpired(payload.exp, now) ? 'expired' : null;
}

/** Verifies signature and claims from scratch. Never throws; the cheapest checks first, so garbage costs no signature. */
export async function verifyLean(token: string | undefined | null, modes: Record<string, TokenRules>): Promise<TokenResult> {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const segments = token.split('.');
  if (segments.length !== 3) return { ok: false, reason: 'malformed' };
  const [encodedHeader, encodedPayload, signature] = segments;
  // Only the spelling a signer writes: a token is valid byte for byte or not at all.
  if (!segments.every((segment) => BASE64URL.test(segment)) || Buffer.from(signature, 'base64url').toString('base64url') !== signature) {
    return { ok: false, reason: 'malformed' };
  }
  const header = decodeObject(encodedHeader);
  if (!header) return { ok: false, reason: 'malformed' };
  const mode = modeOf(header, modes);
  if (!mode) return { ok: false, reason: 'header' };
  // jose's order: the signature before the payload is even decoded.
  const rules = modes[mode];
  const key = asKeyObject(await rules.verificationKey(header as { kid?: string }));
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (!signatureHolds(rules.alg, key, `${encodedHeader}.${encodedPayload}`, signature)) return { ok: false, reason: 'signature' };
  const payload = decodeObject(encodedPayload);
  if (!payload) return { ok: false, reason: 'malformed' };
  const refusal = checkRegisteredClaims(payload, Math.floor(Date.now() / 1000));
  if (refusal) return { ok: false, reason: refusal };
  const registered = REGISTERED_CLAIMS.safeParse(payload);
  const claims = rules.claims.safeParse(payload);
  if (!registered.success || !claims.success) return { ok: false, reason: 'claims' };
  return { ok: true, token: { mode, header, payload: { ...registered.data, ...claims.data } } };
}

function deepFreeze(value: object) {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') deepFreeze(inner);
  Object.freeze(value);
}

/**
 * The lean verifier behind a bounded cache keyed by the exact token string: the proxy's check and
 * the data-access layer's check of one request cost one verification, not two. Entries expire by
 * the verifier's own rule, and are frozen, so no caller can change what the next one reads.
 */
export function cachedLeanVerifier(maxEntries: number): TokenVerifier {
  const cache = createTokenCache<VerifiedToken>(maxEntries, isExpired);
  return async (token, modes) => {
    if (!token) return { ok: false, reason: 'missing' };
    const known = cache.get(token, Math.floor(Date.now() / 1000));
    // Verified under these rules once; a mode this server no longer accepts is refused as jose would.
    if (known) return Object.hasOwn(modes, known.mode) ? { ok: true, token: known } : { ok: false, reason: 'header' };
    const result = await verifyLean(token, modes);
    if (result.ok) {
      deepFreeze(result.token);
      cache.set(token, result.token, result.token.payload.exp);
    }
    return result;
  };
}
