import 'server-only';
// The HS256 key of the stateless and stateful modes (06-stateless.ts, 07-stateful.ts), derived from
// SESSION_SECRET for this one purpose. Imported once: importing a key costs more than using it.
import { deriveKey, shared } from './01-settings';

const hmac = shared('hs256-key', () => ({ key: undefined as Promise<CryptoKey> | undefined }));

export const hs256Key = () =>
  (hmac.key ??= crypto.subtle.importKey('raw', deriveKey('jwt-hs256'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
