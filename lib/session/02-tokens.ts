import 'server-only';
// 02 · Tokens: signing and verifying session JWTs with jose, by the rules of RFC 8725. Each mode
// declares its token (05-stateless.ts, 06-stateful.ts, 07-hybrid.ts): its own `typ`, its one
// algorithm, its claims, and where its key comes from. A token is verified against the rules of
// the mode its `typ` names, and nothing else: exp, iat, iss and aud are required, and a header
// parameter beyond alg, typ (and kid, for a mode that names keys) is refused, so a key never comes
// from the token itself (jku, jwk, x5u, x5c). Verification never throws: anything wrong is a
// result with a reason. No database here: keys come from the mode's resolver.
// Next: 03-cookies.ts.
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';
import { z } from 'zod';
import { deriveKey, getSettings, shared } from './01-settings';

type Key = CryptoKey | KeyObject | Uint8Array;

export type TokenRules = {
  typ: string;
  alg: 'HS256' | 'EdDSA';
  /** The mode's own claims, checked after the registered ones held. */
  claims: z.ZodType<Record<string, unknown>>;
  /** The key that verifies a token whose header names it; undefined for a kid no published key has. */
  verificationKey(header: { kid?: string }): Promise<Key | undefined>;
};

export type TokenRejection = 'missing' | 'malformed' | 'header' | 'unknown-key' | 'signature' | 'expired' | 'claims';

/** What every session token carries beside its mode's claims, as whole numbers and strings (jose would take an exp of 1e400). */
export const REGISTERED_CLAIMS = z.object({ iat: z.number().int(), exp: z.number().int(), iss: z.string(), aud: z.union([z.string(), z.array(z.string())]) });

export type VerifiedToken = { mode: string; header: Record<string, unknown>; payload: Record<string, unknown> & { iat: number; exp: number } };

export type TokenResult = { ok: true; token: VerifiedToken } | { ok: false; reason: TokenRejection };

const hmac = shared('hs256-key', () => ({ key: undefined as Promise<CryptoKey> | undefined }));

/** The stateless and stateful modes' HS256 key, imported once: importing a key costs more than using it. */
export function hs256Key() {
  hmac.key ??= crypto.subtle.importKey('raw', deriveKey('jwt-hs256'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return hmac.key;
}

/** Far above any token this app issues, far below the 16 KiB header limit. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Signs a mode's token. `iat` is the instant the caller computed `exp` from, not the moment of
 * signing, so exp - iat is exactly the lifetime given.
 */
export function signToken(rules: TokenRules, claims: Record<string, unknown>, key: Key, times: { issuedAt: Date; expiresAt: Date }, kid?: string) {
  const { SESSION_ISSUER, SESSION_AUDIENCE } = getSettings();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: rules.alg, typ: rules.typ, ...(kid ? { kid } : {}) })
    .setIssuedAt(Math.floor(times.issuedAt.getTime() / 1000))
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setExpirationTime(Math.floor(times.expiresAt.getTime() / 1000))
    .sign(key);
}

/** The mode a header names, or null when it is not exactly a header this server writes. */
function modeOf(header: Record<string, unknown>, modes: Record<string, TokenRules>) {
  const entry = Object.entries(modes).find(([, rules]) => rules.typ === header.typ);
  if (!entry) return null;
  const allowed = entry[1].alg === 'EdDSA' ? ['alg', 'typ', 'kid'] : ['alg', 'typ'];
  return Object.keys(header).every((name) => allowed.includes(name)) && header.alg === entry[1].alg ? entry[0] : null;
}

/** jose's errors, as the reasons this app gives. */
function reasonOf(error: unknown): TokenRejection {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JWTClaimValidationFailed) return 'claims';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'header';
  if (error instanceof UnknownKey) return 'unknown-key';
  return 'malformed';
}

class UnknownKey extends Error {}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * Three base64url segments, the signature spelled exactly as a signer writes it: base64url leaves
 * spare bits in the last character, so several spellings decode to one signature, and a token is
 * accepted byte for byte as issued or not at all.
 */
function isCompact(token: string) {
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((segment) => SEGMENT.test(segment))) return false;
  return Buffer.from(segments[2], 'base64url').toString('base64url') === segments[2];
}

/** Verifies a token with jose under the rules of the mode its typ names. */
async function verifyWithJose(token: string | undefined | null, modes: Record<string, TokenRules>): Promise<TokenResult> {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH || !isCompact(token)) return { ok: false, reason: 'malformed' };
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const mode = modeOf(header, modes);
  if (!mode) return { ok: false, reason: 'header' };
  const rules = modes[mode];
  const { SESSION_ISSUER, SESSION_AUDIENCE, CLOCK_TOLERANCE_SECONDS } = getSettings();
  let payload: JWTPayload;
  try {
    const key = async (protectedHeader: { kid?: string }) => (await rules.verificationKey(protectedHeader)) ?? Promise.reject(new UnknownKey());
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [rules.alg],
      typ: rules.typ,
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      requiredClaims: ['exp', 'iat'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  const registered = REGISTERED_CLAIMS.safeParse(payload);
  const claims = rules.claims.safeParse(payload);
  if (!registered.success || !claims.success) return { ok: false, reason: 'claims' };
  return { ok: true, token: { mode, header, payload: { ...registered.data, ...claims.data } } };
}

export type TokenVerifier = (token: string | undefined | null, modes: Record<string, TokenRules>) => Promise<TokenResult>;

// The verifier in use: jose's, unless a faster one that must reach the same verdicts was plugged
// in (this repository's lean verifier and cache: lib/fast-path/).
const verifier = shared('token-verifier', () => ({ verify: verifyWithJose as TokenVerifier }));

export function verifyToken(token: string | undefined | null, modes: Record<string, TokenRules>) {
  return verifier.verify(token, modes);
}

/** Plugs in another verifier (it must refuse whatever jose refuses, with the same reasons); none: jose's again. */
export function setTokenVerifier(verify: TokenVerifier = verifyWithJose) {
  verifier.verify = verify;
}
