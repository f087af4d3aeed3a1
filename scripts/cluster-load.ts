// `npm run load:cluster` (with `npm run demo:cluster` running): signed-in stateful requests at
// 64 connections per instance for 60 s, straight at each instance, while it samples PostgreSQL's
// connections to the app's database. Prints throughput, latency, errors, and the connections
// before, during and after: a pool that leaks ends with more than it started with.
import './load-env';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { z } from 'zod';

const config = z
  .object({
    PORT: z.coerce.number().int().default(3000),
    CLUSTER_INSTANCES: z.coerce.number().int().min(1).max(8).default(2),
    CLUSTER_POSTGRES_PORT: z.coerce.number().int().default(54329),
    CLUSTER_DATA_DIR: z.string().default('data/postgres'),
    LOAD_CONNECTIONS: z.coerce.number().int().min(1).max(1000).default(64),
    LOAD_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  })
  .parse(process.env);

const DATABASE = 'jwt_sessions';
const password = readFileSync(path.join(path.resolve(config.CLUSTER_DATA_DIR), 'password'), 'utf8').trim();
const databaseUrl = `postgres://postgres:${password}@127.0.0.1:${config.CLUSTER_POSTGRES_PORT}/${DATABASE}`;
// Tagged, so the script's own connections are not counted as the app's.
const APP_NAME = 'load-cluster-script';
process.env.DATABASE_URL = `${databaseUrl}?application_name=${APP_NAME}`;
// The instances run in production, so their cookie is __Host-session.
process.env.COOKIE_SECURE = 'true';

async function appConnections(client: pg.Client) {
  const { rows } = await client.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND application_name <> $2",
    [DATABASE, APP_NAME],
  );
  return rows[0].n as number;
}

async function main() {
  const { getDb } = await import('@/lib/db/client');
  const { createSession } = await import('@/lib/session/10-sessions');
  const { sessionCookieName } = await import('@/lib/session/03-cookies');
  const user = await getDb().user.findFirstOrThrow({ where: { email: 'alice@example.com' }, select: { id: true, name: true, email: true, role: true } });
  const sessions = [];
  for (let i = 0; i < config.CLUSTER_INSTANCES; i++) sessions.push(await createSession(user, 'stateful', { userAgent: 'load:cluster', ip: 'load' }));
  const monitor = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await monitor.connect();
  const before = await appConnections(monitor);
  const during: number[] = [];
  const sampler = setInterval(() => void appConnections(monitor).then((n) => during.push(n)), 1000);

  console.log(`${config.LOAD_CONNECTIONS} connections per instance for ${config.LOAD_SECONDS} s, GET /api/session with a stateful session`);
  const results = await Promise.all(
    sessions.map((session, i) =>
      autocannon({
        url: `http://127.0.0.1:${config.PORT + 1 + i}/api/session`,
        connections: config.LOAD_CONNECTIONS,
        duration: config.LOAD_SECONDS,
        headers: { cookie: `${sessionCookieName()}=${session.token}` },
      }),
    ),
  );
  clearInterval(sampler);
  // Idle pool connections close after pg's idleTimeoutMillis (10 s); wait past it.
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  const after = await appConnections(monitor);

  results.forEach((result, i) => {
    const name = 'abcdefgh'[i];
    console.log(
      `instance ${name}: ${result.requests.total.toLocaleString('en')} requests (${Math.round(result.requests.average).toLocaleString('en')}/s), ` +
        `latency p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms, ` +
        `2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
  });
  console.log(`PostgreSQL connections to ${DATABASE}: ${before} before, ${Math.min(...during)}–${Math.max(...during)} during, ${after} after (12 s idle)`);
  await monitor.end();
  await getDb().session.deleteMany({ where: { id: { in: sessions.map((s) => s.sessionId) } } });
  await getDb().$disconnect();
  const failed = results.some((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
