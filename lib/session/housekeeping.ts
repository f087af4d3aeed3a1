import 'server-only';
// Beside the core: the clean-up of dead rows. Run purgeSessions from a scheduled job, or call
// purgeIfDue after logins (this app does), which runs it at most every ten minutes per process.
// Rows go a batch at a time, each batch found through an index: one DELETE over a table of a
// million rows would hold its locks (and the logins waiting on them) for seconds.
import { getDb } from '@/lib/db/client';
import { getSettings, shared } from './01-settings';
import type { Mode } from './05-session';
import { MODES } from './modes';

export const PURGE_BATCH_ROWS = 200;

/**
 * What one purge did: rows deleted, in how many batches, the longest a batch took (finding its keys
 * and deleting them), and the longest a DELETE took: the statement that holds row locks, which a
 * login or a check of the same rows would wait on. Finding the keys reads through an index and
 * locks nothing (it may walk past index entries of rows an earlier condition deleted, until
 * PostgreSQL's vacuum removes them).
 */
export type PurgeReport = { deleted: number; batches: number; slowestBatchMs: number; slowestDeleteMs: number };
const newReport = (): PurgeReport => ({ deleted: 0, batches: 0, slowestBatchMs: 0, slowestDeleteMs: 0 });

/**
 * Deletes what `find` names (at most `take` keys a call) until it names none: each batch its own
 * short statement. `find` must select through an index, or every batch scans the table.
 */
export async function deleteInBatches(find: (take: number) => Promise<string[]>, remove: (keys: string[]) => Promise<unknown>, report = newReport()) {
  for (;;) {
    const started = performance.now();
    const keys = await find(PURGE_BATCH_ROWS);
    const deleting = performance.now();
    if (keys.length > 0) await remove(keys);
    report.slowestDeleteMs = Math.max(report.slowestDeleteMs, performance.now() - deleting);
    report.slowestBatchMs = Math.max(report.slowestBatchMs, performance.now() - started);
    report.deleted += keys.length;
    if (keys.length > 0) report.batches += 1;
    if (keys.length < PURGE_BATCH_ROWS) return report;
  }
}

/**
 * Deletes expired rows, and revoked or idle ones a day later, so a signed-out browser still learns
 * why (their refresh tokens go with them). A stateless row never records activity, but it has
 * expired long before it looks idle. Each condition has an index of its own.
 */
export async function purgeSessions(now = new Date()) {
  const before = new Date(now.getTime() - 24 * 3600 * 1000);
  const idleBefore = new Date(before.getTime() - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  const db = getDb();
  const report = newReport();
  const conditions = [
    { where: { expiresAt: { lte: now } }, orderBy: { expiresAt: 'asc' as const } },
    { where: { revokedAt: { lt: before } }, orderBy: { revokedAt: 'asc' as const } },
    { where: { lastActiveAt: { lt: idleBefore } }, orderBy: { lastActiveAt: 'asc' as const } },
  ];
  for (const { where, orderBy } of conditions) {
    await deleteInBatches(
      // In the order of the condition's own index: otherwise the ORM orders by id, and the database
      // walks the primary key past every live row to find each batch.
      async (take) => (await db.session.findMany({ where, orderBy, select: { id: true }, take })).map((row) => row.id),
      (ids) => db.session.deleteMany({ where: { id: { in: ids } } }),
      report,
    );
  }
  return report;
}

const purge = shared('session-purge', () => ({ lastMs: 0 }));

/**
 * The lazy clean-up: every mode's rows, what a mode keeps beside them (hybrid: retired signing
 * keys), and `also` (this app: the throttle's expired counters).
 */
export async function purgeIfDue(now = new Date(), also: ((now: Date) => Promise<unknown>)[] = []) {
  if (+now - purge.lastMs < 10 * 60 * 1000) return;
  purge.lastMs = +now;
  await purgeSessions(now);
  for (const mode of Object.values(MODES)) await (mode as Mode & { purge?(now: Date): Promise<unknown> }).purge?.(now);
  for (const job of also) await job(now);
}
