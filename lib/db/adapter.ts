// Picks the Prisma driver adapter from DATABASE_URL: SQLite (better-sqlite3) by default,
// PostgreSQL (pg) for postgres:// URLs. Shared by the app, the migration runner and the seed.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type DatabaseKind = 'sqlite' | 'postgresql';

export function getDatabaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with file: or postgres://, got "${url.slice(0, 16)}…"`);
}

/** The path of a file: URL, relative to the working directory like Prisma's CLI. */
export function sqlitePath(url: string) {
  return path.resolve(url.slice('file:'.length).split('?')[0]);
}

/** How long a request waits for a PostgreSQL connection before the store counts as unavailable. */
const CONNECT_TIMEOUT_MS = 2000;

export function createAdapterFactory(url: string, pool: { max?: number } = {}): SqlDriverAdapterFactory {
  if (getDatabaseKind(url) === 'postgresql') {
    // A dropped connection (the database restarting) is reported and replaced, never thrown at the process.
    return new PrismaPg(
      { connectionString: url, max: pool.max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
      { onPoolError: (error) => console.warn(`postgresql pool: ${error.message}`) },
    );
  }
  const file = sqlitePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  // Waiting on a lock beats failing with SQLITE_BUSY when logins arrive together.
  return new PrismaBetterSqlite3({ url: file, timeout: 5000 });
}
