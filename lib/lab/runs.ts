import 'server-only';
// Stored results of the benchmark and the revocation lab, so the comparison page can show the
// latest run after a restart. Each run records when, on what machine and against which database.
import os from 'node:os';
import { getDb } from '@/lib/db/client';
import { getDatabaseKind, sqlitePath } from '@/lib/db/adapter';
import { getEnv } from '@/lib/env';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { allowedModes } from '@/lib/session/10-sessions';
import { randomId } from '@/lib/session/01-settings';

export type RunKind = 'benchmark' | 'revocation' | 'outage' | 'cli-bench' | 'cli-bench-smoke' | 'http-run' | 'cli-scale';

/**
 * One value per mode in a stored run. Runs stored before hybrid mode have none for
 * it, so every reader of a stored run shows '–' there instead of assuming it.
 */
export type StoredByMode<T> = Record<Exclude<SessionMode, 'hybrid'>, T> & { hybrid?: T };

export type StoredRun<T> = { id: string; kind: RunKind; createdAt: Date; database: string; machine: string; result: T };

function describeMachine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() ?? 'unknown CPU'} × ${cpus.length}, ${os.platform()} ${os.release()}, Node ${process.version}, ${describeInstance()}`;
}

/** "instance a of 2" behind the cluster's front door, or "one server". */
export function describeInstance() {
  const { INSTANCE_NAME, CLUSTER_INSTANCES } = getEnv();
  return INSTANCE_NAME ? `instance ${INSTANCE_NAME} of ${CLUSTER_INSTANCES}` : 'one server';
}

/** The database, without credentials: "sqlite (data/app.db)" or "postgresql (host/db)". */
export function describeDatabase() {
  const url = getEnv().DATABASE_URL;
  if (getDatabaseKind(url) === 'sqlite') return `sqlite (${sqlitePath(url).replace(`${process.cwd()}/`, '')})`;
  const parsed = new URL(url);
  return `postgresql (${parsed.host}${parsed.pathname})`;
}

export async function saveRun<T>(kind: RunKind, result: T): Promise<StoredRun<T>> {
  const row = await getDb().benchmarkRun.create({
    data: { id: randomId(), kind, database: describeDatabase(), machine: describeMachine(), result: JSON.stringify(result) },
  });
  return { ...row, kind, result };
}

export async function getLatestRun<T>(kind: RunKind): Promise<StoredRun<T> | null> {
  const row = await getDb().benchmarkRun.findFirst({ where: { kind }, orderBy: { createdAt: 'desc' } });
  if (!row) return null;
  try {
    return { ...row, kind, result: JSON.parse(row.result) as T };
  } catch {
    return null;
  }
}

/**
 * The lab runs every mode side by side, so it needs them all. On a server whose SESSION_MODES
 * leaves one out, its endpoints say so (409) instead of failing half-way.
 */
export function refuseLabWithoutAllModes(): string | null {
  const disabled = SESSION_MODES.filter((mode) => !allowedModes().includes(mode));
  return disabled.length ? `The lab measures every mode side by side, and this server disables ${disabled.join(' and ')} (SESSION_MODES).` : null;
}
