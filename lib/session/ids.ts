// Random ids, defined once: session secrets (sid, jti), row ids, user ids, lab ids. 128 bits of
// CSPRNG output as base64url, 22 characters. No server-only import, so the seed can use it too.
import { z } from 'zod';

export const RANDOM_ID = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export function randomId() {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}
