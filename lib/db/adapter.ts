// Picks the Prisma driver adapter from DATABASE_URL: SQLite (better-sqlite3) by default,
// PostgreSQL (pg) for postgres:// URLs. Shared by the app, the migration runner and the seed.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

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

/**
 * A statement sent straight through the driver beneath Prisma, prepared once: the session check's
 * one read. Parameters are $1, $2… in both dialects; the first row, or undefined.
 */
export type PreparedSelect = (...params: string[]) => Promise<Record<string, unknown> | undefined>;

export type Driver = {
  /** What Prisma connects through. */
  factory: SqlDriverAdapterFactory;
  prepare(name: string, sql: string): PreparedSelect;
};

// Prisma stores DateTime in "timestamp(3) without time zone", as UTC. pg would read that as local
// time; read it as UTC, the way Prisma does.
const TIMESTAMP_OID = 1114;
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function createDriver(url: string, pool: { max?: number } = {}): Driver {
  if (getDatabaseKind(url) === 'postgresql') {
    // One pool for Prisma and the prepared read, so the instance's connection budget is one number.
    const shared = new pg.Pool({ connectionString: url, max: pool.max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // A dropped idle connection (the database restarting) is reported and replaced, never thrown at the process.
    shared.on('error', (error) => console.warn(`postgresql pool: ${error.message}`));
    // Disposing Prisma's adapter (the migration runner, the seed, shutdown) ends the pool with it.
    const factory = new PrismaPg(shared, { disposeExternalPool: true });
    return {
      factory,
      prepare:
        (name, text) =>
        async (...values) =>
          (await shared.query({ name, text, values, types: PG_TYPES })).rows[0],
    };
  }
  const file = sqlitePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  // Waiting on a lock beats failing with SQLITE_BUSY when logins arrive together.
  const factory = new PrismaBetterSqlite3({ url: file, timeout: 5000 });
  // Reads get a connection of their own (WAL lets it read while Prisma's writes), opened on first use.
  let reader: Database.Database | undefined;
  return {
    factory,
    prepare(_name, sql) {
      let statement: Database.Statement | undefined;
      return async (...params) => {
        reader ??= new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
        statement ??= reader.prepare(sql.replace(/\$\d+/g, '?'));
        return statement.get(...params) as Record<string, unknown> | undefined;
      };
    },
  };
}

export function createAdapterFactory(url: string, pool: { max?: number } = {}): SqlDriverAdapterFactory {
  return createDriver(url, pool).factory;
}
