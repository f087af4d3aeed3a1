import 'server-only';
// Sample tokens for the comparison page: each mode's token exactly as the app issues it (same
// claims, same header, same algorithm), but signed with a throwaway key made at start-up, so a
// sample shown in the page can never be used as a session. Beside them, the same claims sealed
// with iron-session, to show what an opaque cookie looks like and weighs.
import { randomBytes } from 'node:crypto';
import { sealData } from 'iron-session';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import type { SessionUser } from '@/lib/session';
import { getSessionCookieName } from '@/lib/session/cookie';
import { randomId } from '@/lib/session/ids';
import { buildSessionToken } from '@/lib/session/token';

export const COOKIE_LIMIT_BYTES = 4096;

export type TokenSample = {
  mode: SessionMode | 'sealed';
  token: string;
  header: Record<string, unknown> | null;
  payload: Record<string, unknown> | null;
  /** name=value as the browser sends it back on every request. */
  cookieBytes: number;
};

let sampleKey: Promise<CryptoKey> | undefined;
const samplePassword = randomBytes(32).toString('hex');

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
  };
  const samples: TokenSample[] = [];
  for (const mode of ['stateless', 'stateful'] as const) {
    const ttl = mode === 'stateless' ? env.STATELESS_TOKEN_TTL_SECONDS : env.SESSION_ABSOLUTE_TTL_SECONDS;
    const token = await buildSessionToken(mode, claims[mode], new Date(Date.now() + ttl * 1000)).sign(key);
    samples.push({ mode, token, header: decodeProtectedHeader(token) as Record<string, unknown>, payload: decodeJwt(token), cookieBytes: cookieBytes(token) });
  }
  const sealed = await sealData({ ...claims.stateless, mode: 'stateless' }, { password: samplePassword, ttl: env.STATELESS_TOKEN_TTL_SECONDS });
  samples.push({ mode: 'sealed', token: sealed, header: null, payload: null, cookieBytes: cookieBytes(sealed) });
  return samples;
}
