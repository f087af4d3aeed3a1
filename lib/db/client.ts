// The one Prisma client of the server process, behind the query-counting adapter.
// The session reference, the lab and the scripts import it; components never do.
import { PrismaClient } from '@/lib/generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '@/lib/generated/prisma-postgresql/client';
import { z } from 'zod';
import { settings } from '@/lib/session/01-settings';
import { createDriver, DEFAULT_DATABASE_URL, getDatabaseKind, type Driver, type PreparedSelect } from './adapter';
import { processSingleton } from '@/lib/process-state';
import { countStatement, withQueryCounting } from './query-counter';
import { isStoreUnavailable, StoreUnavailableError } from './unavailable';

/** An outage becomes the one StoreUnavailableError; anything else stays what it was. */
function asStoreError(error: unknown) {
  return isStoreUnavailable(error) ? new StoreUnavailableError(error) : error;
}

// The outage drill on a single server (SQLite has no server to stop): for a while every query of
// this process fails as an unreachable database would, with the same error, before it is sent.
const outage = processSingleton('simulated-outage', () => ({ untilMs: 0 }));

/** Makes every query of this process fail as unreachable for `ms` (0 ends it now). For the outage drill only. */
export function simulateStoreOutage(ms: number) {
  outage.untilMs = ms > 0 ? Date.now() + ms : 0;
}

function refuseDuringSimulatedOutage() {
  if (outage.untilMs && Date.now() < outage.untilMs) throw new StoreUnavailableError(new Error('simulated outage (the outage drill)'));
}

/**
 * Both generated clients have the same models and methods (scripts/prisma-clients.ts derives one
 * schema from the other), so the app is typed against the SQLite one and uses what both support.
 */
export function createPrismaClient(url: string, pool: { max?: number } = {}, driver: Driver = createDriver(url, pool)) {
  const adapter = withQueryCounting(driver.factory);
  const client = getDatabaseKind(url) === 'postgresql' ? (new PostgresPrismaClient({ adapter }) as unknown as PrismaClient) : new PrismaClient({ adapter });
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          refuseDuringSimulatedOutage();
          return await query(args);
        } catch (error) {
          throw asStoreError(error);
        }
      },
    },
  });
}

export const getDatabaseSettings = settings({
  DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
  // Connections per instance (PostgreSQL only). `npm run demo:cluster` divides the server's
  // max_connections between its instances; one instance alone keeps pg's default of 10.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
});

type Db = ReturnType<typeof createPrismaClient>;

const holder = processSingleton('prisma', () => ({ client: undefined as Db | undefined, driver: undefined as Driver | undefined }));

function getDriver(): Driver {
  const env = getDatabaseSettings();
  holder.driver ??= createDriver(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX });
  return holder.driver;
}

/** Lazy, so importing this module never opens a database (the proxy must stay database-free). */
export function getDb(): Db {
  const env = getDatabaseSettings();
  holder.client ??= createPrismaClient(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX }, getDriver());
  return holder.client;
}

/**
 * A read sent through the driver with a prepared statement, on the process's own connections:
 * for the one statement that runs on every request. It is counted like Prisma's, and an outage
 * fails it exactly like Prisma's (StoreUnavailableError).
 */
export function prepareSelect(name: string, sql: string): PreparedSelect {
  let run: ReturnType<Driver['prepare']> | undefined;
  const failClosed = (error: unknown) => {
    throw asStoreError(error);
  };
  return (...params) =>
    countStatement(() => {
      try {
        refuseDuringSimulatedOutage();
        run ??= getDriver().prepare(name, sql);
        const row = run(...params);
        return row instanceof Promise ? row.catch(failClosed) : Promise.resolve(row);
      } catch (error) {
        return Promise.reject(asStoreError(error));
      }
    });
}
