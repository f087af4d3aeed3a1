import 'server-only';
// Keys derived from SESSION_SECRET with HKDF, one per purpose, so the JWT signing key and the
// cookie passwords (preferences, trusted device) never share bytes. Each is derived and imported
// once per process: importing a key costs more than using it.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { processSingleton } from '@/lib/process-state';

function derive(info: string) {
  return Buffer.from(hkdfSync('sha256', getEnv().SESSION_SECRET, 'jwt-sessions-reference', info, 32));
}

// On globalThis: the proxy and the route layers are bundled apart but share one process.
const keys = processSingleton('session-keys', () => ({
  hmac: undefined as KeyObject | undefined,
  successor: undefined as KeyObject | undefined,
  refreshMac: undefined as KeyObject | undefined,
  jose: undefined as Promise<CryptoKey> | undefined,
}));

/** The HS256 key as node:crypto uses it: the verifier's (lib/session/token.ts) and the signer's. */
export function getJwtHmacKey(): KeyObject {
  keys.hmac ??= createSecretKey(derive('jwt-hs256'));
  return keys.hmac;
}

/** The same key as a WebCrypto CryptoKey, for jose (the lab's reference verifier and the tests). */
export function getJwtKey(): Promise<CryptoKey> {
  keys.jose ??= crypto.subtle.importKey('raw', derive('jwt-hs256'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return keys.jose;
}

/** Hybrid mode's refresh tokens: each one's successor is this key's HMAC of it (lib/session/hybrid.ts). */
export function getRefreshSuccessorKey(): KeyObject {
  keys.successor ??= createSecretKey(derive('refresh-token-successor'));
  return keys.successor;
}

/** Hybrid mode's refresh tokens carry this key's HMAC of their id, so a forged one is refused without a query. */
export function getRefreshMacKey(): KeyObject {
  keys.refreshMac ??= createSecretKey(derive('refresh-token-mac'));
  return keys.refreshMac;
}

export function getPreferencesPassword(): string {
  return derive('preferences-cookie').toString('hex');
}

export function getTrustedDevicePassword(): string {
  return derive('trusted-device-cookie').toString('hex');
}
