import 'server-only';
// The session check as it was before issue 11, on jose's jwtVerify with a WebCrypto key: the
// library-general path most apps copy. Hybrid's access token goes the same way, with the
// Ed25519 public key its kid names (imported into WebCrypto once per kid). The lab measures it as the "cold" cost beside the lean
// verifier of lib/session/token.ts, and the equivalence test uses it as the oracle the lean
// verifier must agree with, reason for reason.
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { getEnv } from '@/lib/env';
// The header rule and the size limit are the reference's own: only jose's part is compared.
import { MAX_TOKEN_LENGTH, modeOfHeader, parseSessionClaims, TOKEN_TYPES, type TokenResult } from '@/lib/session/token';
import { getJwtKey } from '@/lib/session/keys';
import { getVerificationKey } from '@/lib/session/signing-keys';

// A key's bytes never change under its kid, so each is imported once.
const ed25519Keys = new Map<string, Promise<CryptoKey>>();

/** The published key the kid names, as WebCrypto holds it; null when this process knows no such key. */
function hybridKey(kid: unknown): Promise<CryptoKey> | null {
  if (typeof kid !== 'string') return null;
  const known = ed25519Keys.get(kid);
  if (known) return known;
  const key = getVerificationKey(kid);
  if (!key) return null;
  const imported = crypto.subtle.importKey('jwk', key.export({ format: 'jwk' }), { name: 'Ed25519' }, false, ['verify']);
  ed25519Keys.set(kid, imported);
  return imported;
}

/**
 * jose's verdict on a token, in the reference's vocabulary. The app's own claims (sub, sid, jti…)
 * are parsed by the reference's one schema after jose accepted the registered ones.
 */
export async function verifyTokenWithJose(token: string | undefined | null): Promise<TokenResult> {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
  const signature = token.slice(token.lastIndexOf('.') + 1);
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const mode = modeOfHeader(header);
  if (!mode) return { ok: false, reason: 'header' };
  const env = getEnv();
  if (!env.SESSION_MODES.includes(mode)) return { ok: false, reason: 'mode-not-allowed' };
  // The same order as the lean verifier: an unknown kid is refused where the signature would be checked.
  const key = mode === 'hybrid' ? hybridKey(header.kid) : getJwtKey();
  if (!key) return { ok: false, reason: 'unknown-key' };
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await key, {
      algorithms: [mode === 'hybrid' ? 'EdDSA' : 'HS256'],
      typ: TOKEN_TYPES[mode],
      issuer: env.SESSION_ISSUER,
      audience: env.SESSION_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'iss', 'aud'],
      clockTolerance: env.CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JWS_INVALID') return { ok: false, reason: 'signature' };
    return { ok: false, reason: code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? 'claims' : 'malformed' };
  }
  return parseSessionClaims(mode, header, payload);
}
