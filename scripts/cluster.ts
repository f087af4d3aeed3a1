// `npm run demo:cluster`: the setting the article's trade-offs are about. One PostgreSQL (from
// node_modules, data under data/postgres), several app instances sharing it and the secret, and
// a round-robin front door on PORT in front of them (the instances listen on the next ports).
// Ctrl-C stops everything this started.
//
// Beside them runs the second verifier (verifier/server.mjs, on VERIFIER_PORT), another service
// that checks hybrid access tokens with nothing but the key set the front door publishes.
//
// The supervisor also owns the outage drill: a small control server on loopback, guarded by a
// random token written next to the data (0600), lets the tests and the comparison page stop
// PostgreSQL for a bounded time and start it again.
import './load-env';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import { z } from 'zod';
import { migrate } from '@/lib/db/migrate';
import { seed } from '../prisma/seed';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { portInUseMessage, probePort, verifierPort } from './ports.mjs';

const DEFAULT_PORT = 3000;
const DEFAULT_POSTGRES_PORT = 54329;
const port = z.coerce.number().int().min(1).max(65535);

// PORT alone moves a whole cluster: the instances take the next ports, the verifier PORT + 10,
// PostgreSQL 54329 shifted as far as PORT is from 3000, and the data a folder of its own.
const config = z
  .object({
    PORT: port.default(DEFAULT_PORT),
    HOSTNAME: z.string().default('0.0.0.0'),
    CLUSTER_INSTANCES: z.coerce.number().int().min(1).max(8).default(2),
    CLUSTER_POSTGRES_PORT: port.optional(),
    CLUSTER_DATA_DIR: z.string().optional(),
    // Start from an empty cluster (the end-to-end tests); the demo keeps its data.
    CLUSTER_FRESH: z.enum(['0', '1']).default('0'),
    // Quiet time between two outages, so visitors of a shared demo cannot keep the database down.
    CLUSTER_DRILL_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  })
  .transform((env) => ({
    ...env,
    VERIFIER_PORT: verifierPort(process.env),
    CLUSTER_POSTGRES_PORT: env.CLUSTER_POSTGRES_PORT ?? DEFAULT_POSTGRES_PORT + (env.PORT - DEFAULT_PORT),
    CLUSTER_DATA_DIR: env.CLUSTER_DATA_DIR ?? (env.PORT === DEFAULT_PORT ? 'data/postgres' : `data/postgres-${env.PORT}`),
  }))
  .parse(process.env);

const DATABASE = 'jwt_sessions';
// PostgreSQL serves best with a few connections per core; more only queue inside the server.
// The budget is split between the instances, and stays far below max_connections (100), which
// leaves room for the benchmark's own connection, the drill and an admin's psql.
const CONNECTION_BUDGET = 20;
// The longest outage a drill may cause, whatever the caller asks.
const MAX_OUTAGE_MS = 10_000;

const INSTANCE_NAMES = 'abcdefgh'.split('');
const dataDir = path.resolve(config.CLUSTER_DATA_DIR);
const controlFile = path.join(dataDir, 'control.json');

const children: ChildProcess[] = [];
const servers: Server[] = [];
let postgres: RunningPostgres | undefined;
let shuttingDown = false;
let stopDrill = () => {};

function log(message: string) {
  console.log(`[cluster] ${message}`);
}

async function waitUntilServing(url: string, child: ChildProcess) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} before it served`);
    const ok = await fetch(url, { redirect: 'manual' }).then(
      (response) => response.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not start within 60 s`);
}

function startInstance(name: string, port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ['server.mjs'], {
    env: { ...process.env, ...env, PORT: String(port), HOSTNAME: '127.0.0.1', INSTANCE_NAME: name, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    // Ctrl-C (or a SIGTERM to the group) reaches every process at once; our own handler stops the rest.
    if (!shuttingDown && signal !== 'SIGINT' && signal !== 'SIGTERM') {
      console.error(`[cluster] instance ${name} stopped (${signal ?? `code ${code}`}); stopping the cluster`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

/** The second verifier: it fetches the keys through the front door, as any other service would. */
function startVerifier() {
  // Without the secret, which it must not need.
  const { SESSION_SECRET: _secret, ...env } = process.env;
  const child = spawn(process.execPath, ['verifier/server.mjs'], {
    env: { ...env, VERIFIER_PORT: String(config.VERIFIER_PORT), VERIFIER_HOST: '127.0.0.1', JWKS_URL: `http://127.0.0.1:${config.PORT}/.well-known/jwks.json` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!shuttingDown && signal !== 'SIGINT' && signal !== 'SIGTERM') {
      console.error(`[cluster] the second verifier stopped (${signal ?? `code ${code}`}); stopping the cluster`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

/** The front door: round robin over the instances, the way a load balancer would. */
function startFrontDoor(targets: string[]) {
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 120_000 });
  let next = 0;
  proxy.on('proxyReq', (proxyReq, req) => {
    // This is the edge: whatever forwarding headers the client sent are its own inventions.
    proxyReq.setHeader('x-forwarded-for', req.socket.remoteAddress ?? 'unknown');
    proxyReq.setHeader('x-forwarded-host', req.headers.host ?? '');
  });
  proxy.on('error', (_error, _req, res) => {
    if (!('writeHead' in res)) return res.destroy();
    if (res.headersSent) return res.destroy(); // cut off mid-answer: the client must not wait forever
    res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Bad gateway: the instance did not answer.\n');
  });
  const server = createServer((req, res) => {
    const target = targets[next];
    next = (next + 1) % targets.length;
    proxy.web(req, res, { target });
  });
  servers.push(server);
  return listen(server, config.PORT, config.HOSTNAME);
}

/** Listens, or rejects (a port in use) so main() fails and shutdown() stops what already started. */
function listen(server: Server, port: number, hostname: string) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The drill's controls, for whoever holds the token in the control file. */
async function startControlServer(db: RunningPostgres) {
  const token = randomBytes(24).toString('base64url');
  // One state at a time, set before each await, so two requests never stop or start it twice.
  let state: 'running' | 'stopping' | 'stopped' | 'starting' = 'running';
  let restartTimer: NodeJS.Timeout | undefined;
  let lastOutageEnded = 0;

  const restart = async () => {
    if (state !== 'stopped') return;
    clearTimeout(restartTimer);
    state = 'starting';
    try {
      await db.start();
      state = 'running';
      lastOutageEnded = Date.now();
      log('postgresql is back');
    } catch (error) {
      state = 'stopped'; // /postgres/start can try again
      console.error('[cluster] postgresql did not start again', error);
    }
  };
  stopDrill = () => clearTimeout(restartTimer);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const given = Buffer.from(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
    const expected = Buffer.from(token);
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return send(401, { error: 'bad token' });
    const url = new URL(req.url ?? '/', 'http://control');
    if (req.method === 'POST' && url.pathname === '/postgres/stop') {
      if (state !== 'running') return send(409, { error: 'An outage drill is already running: the database is stopped.' });
      const waitMs = lastOutageEnded + config.CLUSTER_DRILL_COOLDOWN_SECONDS * 1000 - Date.now();
      if (waitMs > 0) return send(429, { error: `The database came back from a drill moments ago; try again in ${Math.ceil(waitMs / 1000)} s.` });
      const ms = Math.min(MAX_OUTAGE_MS, Math.max(100, Number(url.searchParams.get('ms')) || 3000));
      state = 'stopping';
      await db.stop();
      state = 'stopped';
      restartTimer = setTimeout(() => void restart(), ms);
      log(`postgresql stopped for at most ${ms} ms`);
      return send(200, { stoppedForMs: ms });
    }
    if (req.method === 'POST' && url.pathname === '/postgres/start') {
      await restart();
      return send(state === 'running' ? 200 : 503, { running: state === 'running' });
    }
    if (req.method === 'GET' && url.pathname === '/status') {
      return send(200, { postgres: state, instances: children.length });
    }
    return send(404, { error: 'no such control' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('[cluster] control failed', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  servers.push(server);
  const port = await freePort();
  await listen(server, port, '127.0.0.1');
  writeFileSync(controlFile, JSON.stringify({ url: `http://127.0.0.1:${port}`, token, pid: process.pid }), { mode: 0o600 });
  return { url: `http://127.0.0.1:${port}`, token };
}

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping');
  stopDrill();
  for (const server of servers) server.close();
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await postgres?.stop().catch((error) => console.error('[cluster] stopping postgresql failed', error));
  rmSync(controlFile, { force: true });
  log('stopped');
  process.exit(code);
}

/** Every port this cluster will listen on, checked before anything starts: a taken one gets one line naming its setting. */
async function checkPortsFree() {
  const wanted = [
    { port: config.PORT, host: config.HOSTNAME, what: 'the front door', setting: 'PORT' },
    ...Array.from({ length: config.CLUSTER_INSTANCES }, (_, i) => ({
      port: config.PORT + 1 + i,
      host: '127.0.0.1',
      what: `instance ${INSTANCE_NAMES[i]}`,
      setting: 'PORT',
    })),
    { port: config.VERIFIER_PORT, host: '127.0.0.1', what: 'the second verifier', setting: 'VERIFIER_PORT' },
    { port: config.CLUSTER_POSTGRES_PORT, host: '127.0.0.1', what: 'PostgreSQL', setting: 'CLUSTER_POSTGRES_PORT' },
  ];
  for (const { port: wantedPort, host, what, setting } of wanted) {
    const free = await probePort(wantedPort, host).then(
      () => true,
      () => false,
    );
    if (!free) {
      console.error(portInUseMessage(wantedPort, what, setting));
      process.exit(1);
    }
  }
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // Whatever goes wrong, the instances and PostgreSQL this started must not outlive it.
  process.on('uncaughtException', (error) => {
    console.error('[cluster]', error);
    void shutdown(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error('[cluster]', error);
    void shutdown(1);
  });

  await checkPortsFree();
  if (config.CLUSTER_FRESH === '1') rmSync(dataDir, { recursive: true, force: true });
  postgres = await startEmbeddedPostgres({ dataDir, port: config.CLUSTER_POSTGRES_PORT });
  log(`postgresql 18 on 127.0.0.1:${config.CLUSTER_POSTGRES_PORT}, data in ${path.relative(process.cwd(), dataDir)}/`);
  await postgres.createDatabase(DATABASE);
  const url = postgres.url(DATABASE);
  const applied = await migrate(url);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  await seed(url);

  const control = await startControlServer(postgres);
  const poolMax = Math.max(2, Math.floor(CONNECTION_BUDGET / config.CLUSTER_INSTANCES));
  const instances = Array.from({ length: config.CLUSTER_INSTANCES }, (_, i) => ({ name: INSTANCE_NAMES[i], port: config.PORT + 1 + i }));
  const env = {
    DATABASE_URL: url,
    DATABASE_POOL_MAX: String(poolMax),
    CLUSTER_INSTANCES: String(config.CLUSTER_INSTANCES),
    CLUSTER_CONTROL_URL: control.url,
    CLUSTER_CONTROL_TOKEN: control.token,
    CLUSTER_FRONT_DOOR_URL: `http://127.0.0.1:${config.PORT}`,
    VERIFIER_URL: `http://127.0.0.1:${config.VERIFIER_PORT}`,
    // The front door sets X-Forwarded-For and X-Forwarded-Host itself (above).
    TRUST_PROXY: '1',
  };
  await Promise.all(
    instances.map(async ({ name, port }) => {
      const child = startInstance(name, port, env);
      await waitUntilServing(`http://127.0.0.1:${port}/login`, child);
    }),
  );
  // Before the front door, which is what the tests wait for. It fetches the keys on its first token.
  await waitUntilServing(`http://127.0.0.1:${config.VERIFIER_PORT}/healthz`, startVerifier());
  await startFrontDoor(instances.map(({ port }) => `http://127.0.0.1:${port}`));
  log(`second verifier on http://127.0.0.1:${config.VERIFIER_PORT}, keys from the front door`);
  log(`${instances.length} instances (${instances.map(({ name, port }) => `${name} on ${port}`).join(', ')}), ${poolMax} connections each`);
  log(`front door ready on http://localhost:${config.PORT} (round robin). Ctrl-C stops everything.`);
}

main().catch((error) => {
  console.error('[cluster] failed to start:', error);
  void shutdown(1);
});
