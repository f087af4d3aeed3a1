import 'server-only';
// Signing and verifying session JWTs (jose, HS256). Both modes go through here, so the rules of
// RFC 8725 live in one place: the algorithm is pinned, each mode has its own `typ`, exp, iat, iss
// and aud are required, and any header beyond alg and typ (kid, jku, jwk, x5u, x5c, crit…) is refused.
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { RANDOM_ID } from '@/lib/session/ids';
import { getJwtKey } from './keys';

export const TOKEN_TYPES: Record<SessionMode, string> = {
  stateless: 'session-stateless+jwt',
  stateful: 'session-stateful+jwt',
};

const ALGORITHM = 'HS256';
const ALLOWED_HEADER_KEYS = new Set(['alg', 'typ']);
/** Comfortably above any token this app issues, far below the 16 KiB header limit. */
const MAX_TOKEN_LENGTH = 4096;

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

export type StatelessPayload = z.infer<typeof StatelessClaims>;
export type StatefulPayload = z.infer<typeof StatefulClaims>;

export type VerifiedToken =
  | { mode: 'stateless'; header: Record<string, unknown>; payload: StatelessPayload }
  | { mode: 'stateful'; header: Record<string, unknown>; payload: StatefulPayload };

type TokenRejection = 'missing' | 'malformed' | 'header' | 'mode-not-allowed' | 'signature' | 'expired' | 'claims';

export type TokenResult = { ok: true; token: VerifiedToken } | { ok: false; reason: TokenRejection };

/** A session token with its header and every claim set, ready to sign. */
export function buildSessionToken(mode: SessionMode, claims: Record<string, unknown>, expiresAt: Date): SignJWT {
  const env = getEnv();
  return new SignJWT({ ...claims, mode })
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPES[mode] })
    .setIssuedAt()
    .setIssuer(env.SESSION_ISSUER)
    .setAudience(env.SESSION_AUDIENCE)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000));
}

export async function signToken(mode: SessionMode, claims: Record<string, unknown>, expiresAt: Date): Promise<string> {
  return buildSessionToken(mode, claims, expiresAt).sign(await getJwtKey());
}

function modeOfHeader(header: Record<string, unknown>): SessionMode | null {
  if (Object.keys(header).some((key) => !ALLOWED_HEADER_KEYS.has(key))) return null;
  if (header.alg !== ALGORITHM) return null;
  const entry = Object.entries(TOKEN_TYPES).find(([, typ]) => typ === header.typ);
  return entry ? (entry[0] as SessionMode) : null;
}

/** Verifies signature and claims. Never throws: anything wrong is a rejection with a reason. */
export async function verifyToken(token: string | undefined | null): Promise<TokenResult> {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
  // Base64url leaves spare bits in the last character: several spellings decode to one signature.
  // Only the spelling this server wrote is accepted, so a token is valid byte for byte or not at all.
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
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await getJwtKey(), {
      algorithms: [ALGORITHM],
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
  if (mode === 'stateless') {
    const parsed = StatelessClaims.safeParse(payload);
    return parsed.success ? { ok: true, token: { mode, header, payload: parsed.data } } : { ok: false, reason: 'claims' };
  }
  const parsed = StatefulClaims.safeParse(payload);
  return parsed.success ? { ok: true, token: { mode, header, payload: parsed.data } } : { ok: false, reason: 'claims' };
}
