import 'server-only';
// Beside the core: the clean-up of dead rows. Run purgeSessions from a scheduled job, or call
// purgeIfDue after logins (this app does), which runs it at most every ten minutes per process.
import { getDb } from '@/lib/db/client';
import { getSettings, shared } from './01-settings';
import type { Mode } from './05-session';
import { MODES } from './modes';

/**
 * Deletes expired rows, and revoked or idle ones a day later, so a signed-out browser still learns
 * why (their refresh tokens go with them). A stateless row never records activity, but it has
 * expired long before it looks idle.
 */
export async function purgeSessions(now = new Date()) {
  const before = new Date(now.getTime() - 24 * 3600 * 1000);
  const idleBefore = new Date(before.getTime() - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  const where = { OR: [{ expiresAt: { lte: now } }, { revokedAt: { lt: before } }, { lastActiveAt: { lt: idleBefore } }] };
  return (await getDb().session.deleteMany({ where })).count;
}

const purge = shared('session-purge', () => ({ lastMs: 0 }));

/** The lazy clean-up: every mode's rows, and what a mode keeps beside them (hybrid: retired signing keys). */
export async function purgeIfDue(now = new Date()) {
  if (+now - purge.lastMs < 10 * 60 * 1000) return;
  purge.lastMs = +now;
  await purgeSessions(now);
  for (const mode of Object.values(MODES)) await (mode as Mode & { purge?(now: Date): Promise<unknown> }).purge?.(now);
}
