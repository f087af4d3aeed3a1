// Applies prisma/migrations/<name>/migration.sql in order through the driver adapter and
// records each one in _prisma_migrations exactly as `prisma migrate deploy` does (same table,
// sha256 checksum), so Prisma's own CLI accepts the database on a machine that has its engine.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArgType, SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { createAdapterFactory, getDatabaseKind, type DatabaseKind } from './adapter';

const MIGRATIONS_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`,
};

export type Migration = { name: string; sql: string; checksum: string };

/** Each provider has its own migration history; both must end at prisma/schema.prisma. */
const MIGRATIONS_DIR: Record<DatabaseKind, string> = { sqlite: 'prisma/migrations', postgresql: 'prisma/postgresql/migrations' };

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const STRING_ARG: ArgType = { scalarType: 'string', arity: 'scalar' };

async function query(adapter: SqlDriverAdapter, sql: string, args: string[] = []) {
  return (await adapter.queryRaw({ sql, args, argTypes: args.map(() => STRING_ARG) })).rows;
}

async function execute(adapter: SqlDriverAdapter, sql: string, args: string[] = []) {
  await adapter.executeRaw({ sql, args, argTypes: args.map(() => STRING_ARG) });
}

/** Applies pending migrations; returns the names it applied. Safe to run again. */
export async function migrate(url: string, dir?: string): Promise<string[]> {
  const kind = getDatabaseKind(url);
  const adapter = await createAdapterFactory(url).connect();
  const p = kind === 'postgresql' ? (n: number) => `$${n}` : () => '?';
  const applied: string[] = [];
  try {
    if (kind === 'sqlite') await adapter.executeScript('PRAGMA journal_mode = WAL;');
    await adapter.executeScript(MIGRATIONS_TABLE[kind]);
    const rows = await query(adapter, 'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
    const done = new Map(rows.map((row) => [String(row[0]), String(row[1])]));
    for (const migration of readMigrations(path.resolve(dir ?? MIGRATIONS_DIR[kind]))) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          console.warn(`warning: migration ${migration.name} was modified after it was applied (checksum differs)`);
        }
        continue;
      }
      const id = randomUUID();
      await execute(
        adapter,
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (${p(1)}, ${p(2)}, ${p(3)}, CURRENT_TIMESTAMP, 0)`,
        [id, migration.checksum, migration.name],
      );
      try {
        await adapter.executeScript(migration.sql);
      } catch (error) {
        await execute(adapter, `UPDATE _prisma_migrations SET logs = ${p(1)} WHERE id = ${p(2)}`, [String(error), id]);
        throw new Error(`Migration ${migration.name} failed: ${String(error)}`);
      }
      await execute(adapter, `UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP, applied_steps_count = 1 WHERE id = ${p(1)}`, [id]);
      applied.push(migration.name);
    }
  } finally {
    await adapter.dispose();
  }
  return applied;
}
