import 'server-only';
// 02 · Tokens: signing and verifying session JWTs with jose, by the rules of RFC 8725. Each mode
// declares its token (06-stateless.ts, 07-stateful.ts, 09-hybrid.ts): its own `typ`, its one
// algorithm, its claims, and where its key comes from. A token is verified against the rules of
// the mode its `typ` names, and nothing else: exp, iat, iss and aud are required, and a header
// parameter beyond alg, typ (and kid, for a mode that names keys) is refused, so a key never comes
// from the token itself (jku, jwk, x5u, x5c). Verification never throws: anything wrong is a
// result with a reason. No database here: keys come from the mode's resolver.
// Next: 03-cookies.ts.
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import { z } from 'zod';
import { getSettings, shared } from './01-settings';

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
const REGISTERED_CLAIMS = z.object({ iat: z.number().int(), exp: z.number().int(), iss: z.string(), aud: z.union([z.string(), z.array(z.string())]) });

export type VerifiedToken = { mode: string; header: Record<string, unknown>; payload: Record<string, unknown> & { iat: number; exp: number } };
type TokenResult = { ok: true; token: VerifiedToken } | { ok: false; reason: TokenRejection };
export type TokenVerifier = (token: string | undefined | null, modes: Record<string, TokenRules>) => Promise<TokenResult>;

/** Signs a mode's token. `iat` is the instant the caller computed `exp` from, so exp - iat is exactly the lifetime given. */
export function signToken(rules: TokenRules, claims: Record<string, unknown>, key: Key, times: { issuedAt: Date; expiresAt: Date }, kid?: string) {
  const { SESSION_ISSUER: iss, SESSION_AUDIENCE: aud } = getSettings();
  const [iat, exp] = [times.issuedAt, times.expiresAt].map((date) => Math.floor(date.getTime() / 1000));
  return new SignJWT({ ...claims, iat, exp, iss, aud }).setProtectedHeader({ alg: rules.alg, typ: rules.typ, ...(kid && { kid }) }).sign(key);
}

/** Far above any token this app issues, far below the 16 KiB header limit. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Three base64url segments, the signature spelled exactly as a signer writes it: base64url leaves
 * spare bits in the last character, so several spellings decode to one signature, and a token is
 * accepted byte for byte as issued or not at all.
 */
function isCompact(token: string) {
  const segments = token.split('.');
  return (
    segments.length === 3 && segments.every((s) => /^[A-Za-z0-9_-]*$/.test(s)) && Buffer.from(segments[2], 'base64url').toString('base64url') === segments[2]
  );
}

class UnknownKey extends Error {}

// jose's errors, as the reasons this app gives (JWTExpired is a JWTClaimValidationFailed: it comes first).
const REASONS: [new (...args: never[]) => Error, TokenRejection][] = [
  [errors.JWTExpired, 'expired'],
  [errors.JWSSignatureVerificationFailed, 'signature'],
  [errors.JWTClaimValidationFailed, 'claims'],
  [errors.JOSEAlgNotAllowed, 'header'],
  [errors.JOSENotSupported, 'header'],
  [UnknownKey, 'unknown-key'],
];

/** Verifies a token with jose's jwtVerify under the rules of the mode its typ names. */
async function verifyWithJose(token: string | undefined | null, modes: Record<string, TokenRules>): Promise<TokenResult> {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH || !isCompact(token)) return { ok: false, reason: 'malformed' };
  try {
    const header = decodeProtectedHeader(token);
    const [mode, rules] = Object.entries(modes).find(([, r]) => r.typ === header.typ) ?? [];
    const names = rules?.alg === 'EdDSA' ? ['alg', 'typ', 'kid'] : ['alg', 'typ'];
    if (!mode || !rules || header.alg !== rules.alg || Object.keys(header).some((name) => !names.includes(name))) return { ok: false, reason: 'header' };
    const { SESSION_ISSUER: issuer, SESSION_AUDIENCE: audience, CLOCK_TOLERANCE_SECONDS: clockTolerance } = getSettings();
    const options = { algorithms: [rules.alg], typ: rules.typ, issuer, audience, requiredClaims: ['exp', 'iat'], clockTolerance };
    const { payload } = await jwtVerify(token, async (h: { kid?: string }) => (await rules.verificationKey(h)) ?? Promise.reject(new UnknownKey()), options);
    const registered = REGISTERED_CLAIMS.safeParse(payload);
    const claims = rules.claims.safeParse(payload);
    if (!registered.success || !claims.success) return { ok: false, reason: 'claims' };
    return { ok: true, token: { mode, header, payload: { ...registered.data, ...claims.data } } };
  } catch (error) {
    return { ok: false, reason: REASONS.find(([type]) => error instanceof type)?.[1] ?? 'malformed' };
  }
}

// jose's verifier, unless a faster one that reaches the same verdicts was plugged in (this
// repository's lean verifier and its cache: lib/fast-path/).
const verifier = shared('token-verifier', () => ({ verify: verifyWithJose }));

export const verifyToken: TokenVerifier = (token, modes) => verifier.verify(token, modes);

/**
 * Plugs in another verifier (it must refuse whatever jose refuses, with the same reasons); none:
 * jose's again. A plug-in point for speed-ups beside the core.
 * @public
 */
export function setTokenVerifier(verify: TokenVerifier = verifyWithJose) {
  verifier.verify = verify;
}
