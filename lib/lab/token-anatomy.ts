import 'server-only';
// Sample tokens for the comparison page: each mode's token exactly as the app issues it (same
// claims, same header, same algorithm), but signed with a throwaway key made at start-up, so a
// sample shown in the page can never be used as a session. Beside them, the same claims sealed
// with iron-session, to show what an opaque cookie looks like and weighs.
// A hybrid browser sends two cookies with every request, the access token and the refresh token
// (Path=/, so that the proxy can renew in front of any page): its sample weighs both.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sealData } from 'iron-session';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { getEnv } from '@/lib/env';
import { randomId } from '@/lib/session/01-settings';
import { signToken } from '@/lib/session/02-tokens';
import { sessionCookieName } from '@/lib/session/03-cookies';
import type { SessionUser } from '@/lib/session/04-store';
import { refreshCookieName } from '@/lib/session/09-hybrid';
import { MODES, SESSION_MODES, type SessionMode } from '@/lib/session/modes';

export const COOKIE_LIMIT_BYTES = 4096;

export type TokenSample = {
  mode: SessionMode | 'sealed';
  token: string;
  header: Record<string, unknown> | null;
  payload: Record<string, unknown> | null;
  /** name=value as the browser sends it back on every request (for hybrid, with its refresh cookie). */
  cookieBytes: number;
};

let sampleKey: Promise<CryptoKey> | undefined;
const samplePassword = randomBytes(32).toString('hex');
const sampleEd25519 = generateKeyPairSync('ed25519');
const sampleKid = randomId();

function getSampleKey() {
  sampleKey ??= crypto.subtle.importKey('raw', randomBytes(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return sampleKey;
}

function cookieBytes(value: string) {
  return Buffer.byteLength(`${sessionCookieName()}=${value}`);
}

export async function getTokenSamples(user: SessionUser): Promise<TokenSample[]> {
  const env = getEnv();
  const key = await getSampleKey();
  const claims = {
    stateless: { sub: user.id, name: user.name, role: user.role, jti: randomId() },
    stateful: { sid: randomId() },
    hybrid: { sub: user.id, name: user.name, role: user.role, sid: randomId(), jti: randomId() },
  };
  const lifetimeSeconds = { stateless: env.STATELESS_TOKEN_TTL_SECONDS, stateful: env.SESSION_ABSOLUTE_TTL_SECONDS, hybrid: env.HYBRID_ACCESS_TTL_SECONDS };
  const samples: TokenSample[] = [];
  for (const mode of SESSION_MODES) {
    const times = { issuedAt: new Date(), expiresAt: new Date(Date.now() + lifetimeSeconds[mode] * 1000) };
    const signingKey = mode === 'hybrid' ? sampleEd25519.privateKey : key;
    const token = await signToken(MODES[mode].token, { mode, ...claims[mode] }, signingKey, times, mode === 'hybrid' ? sampleKid : undefined);
    // The refresh token is 128 random bits and a 128-bit MAC of them, each as long as randomId().
    const refreshCookieBytes = mode === 'hybrid' ? Buffer.byteLength(`; ${refreshCookieName()}=${randomId()}.${randomId()}`) : 0;
    samples.push({
      mode,
      token,
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      payload: decodeJwt(token),
      cookieBytes: cookieBytes(token) + refreshCookieBytes,
    });
  }
  const sealed = await sealData({ ...claims.stateless, mode: 'stateless' }, { password: samplePassword, ttl: env.STATELESS_TOKEN_TTL_SECONDS });
  samples.push({ mode: 'sealed', token: sealed, header: null, payload: null, cookieBytes: cookieBytes(sealed) });
  return samples;
}
