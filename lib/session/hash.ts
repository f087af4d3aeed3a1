import 'server-only';
import { createHash } from 'node:crypto';

/** The database keeps only this digest, so a leaked Session table cannot be replayed as cookies. */
export function hashSecretId(id: string) {
  return createHash('sha256').update(id).digest('hex');
}
