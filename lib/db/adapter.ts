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

/** The demo's SQLite file, when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = 'file:./data/app.db';

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

type Row = unknown[] | undefined;

/**
 * A statement sent straight through the driver beneath Prisma, prepared once: the session check's
 * one read. Parameters are $1, $2… in both dialects; the first row as an array of its columns in
 * the order selected (no object per row: this runs per request), or undefined.
 */
export type PreparedSelect = (...params: string[]) => Promise<Row>;

export type Driver = {
  /** What Prisma connects through. */
  factory: SqlDriverAdapterFactory;
  /** better-sqlite3 answers synchronously: no promise where none is needed (this runs per request). */
  prepare(name: string, sql: string): (...params: string[]) => Row | Promise<Row>;
};

// Prisma stores DateTime in "timestamp(3) without time zone", as UTC. pg would read that as local
// time; read it as UTC, the way Prisma does.
const TIMESTAMP_OID = 1114;
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The per-request read's own connection, in pg's pipeline mode: concurrent requests send their
 * statements one after another without waiting for each answer, and nobody checks a connection
 * out of a pool for a single read (on this 2-core machine that checkout and its bookkeeping cost
 * about as much as the query). One more connection per instance than DATABASE_POOL_MAX. A lost
 * connection fails its reads (the check fails closed) and the next read opens a new one.
 */
function pipelinedConnection(url: string) {
  let current: Promise<pg.Client> | undefined;
  return () => {
    if (current) return current;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, pipeline: true });
    const connecting = client.connect().then(() => client);
    current = connecting;
    const forget = () => {
      if (current === connecting) current = undefined;
    };
    client.on('error', (error) => {
      console.warn(`postgresql session reader: ${error.message}`);
      forget();
    });
    client.on('end', forget);
    connecting.catch(forget);
    return connecting;
  };
}

export function createDriver(url: string, pool: { max?: number } = {}): Driver {
  if (getDatabaseKind(url) === 'postgresql') {
    // One pool for Prisma and the prepared read, so the instance's connection budget is one number.
    const shared = new pg.Pool({ connectionString: url, max: pool.max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // A dropped idle connection (the database restarting) is reported and replaced, never thrown at the process.
    shared.on('error', (error) => console.warn(`postgresql pool: ${error.message}`));
    // Disposing Prisma's adapter (the migration runner, the seed, shutdown) ends the pool with it.
    const factory = new PrismaPg(shared, { disposeExternalPool: true });
    const reader = pipelinedConnection(url);
    return {
      factory,
      prepare:
        (name, text) =>
        (...values) =>
          reader()
            .then((client) => client.query({ name, text, values, types: PG_TYPES, rowMode: 'array' }))
            .then((result) => result.rows[0]),
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
      return (...params) => {
        reader ??= new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
        statement ??= reader.prepare(sql.replace(/\$\d+/g, '?')).raw(true);
        return statement.get(...params) as Row;
      };
    },
  };
}

export function createAdapterFactory(url: string, pool: { max?: number } = {}): SqlDriverAdapterFactory {
  return createDriver(url, pool).factory;
}
