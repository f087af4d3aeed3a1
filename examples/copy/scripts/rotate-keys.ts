// Yours (hybrid): rotating the signing keys, run by hand or on a schedule. The next key starts
// signing, the current one stays published until the last token it signed has expired, and a new
// next key is published; nobody is signed out.
import { listPublishedKeys, rotateSigningKeys } from '@/lib/session/08-hybrid-keys';

const result = await rotateSigningKeys();
console.log(result.ok ? `signing with ${result.activated}` : `not rotated: ${result.reason}`);
for (const key of await listPublishedKeys()) console.log(`published ${key.kid} (${key.stage})`);
