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
import { SESSION_MODES, type SessionMode } from '@/lib/session/modes';
import type { SessionUser } from '@/lib/session';
import { getRefreshCookieName, getSessionCookieName } from '@/lib/session/cookie';
import { randomId } from '@/lib/session/ids';
import { buildSessionToken } from '@/lib/session/token';

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
  return Buffer.byteLength(`${getSessionCookieName()}=${value}`);
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
    const build = buildSessionToken(mode, claims[mode], new Date(Date.now() + lifetimeSeconds[mode] * 1000), mode === 'hybrid' ? sampleKid : undefined);
    const token = await (mode === 'hybrid' ? build.sign(sampleEd25519.privateKey) : build.sign(key));
    // The refresh token is 128 random bits, like every secret id: randomId() has its exact length.
    const refreshCookieBytes = mode === 'hybrid' ? Buffer.byteLength(`; ${getRefreshCookieName()}=${randomId()}`) : 0;
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
