// The one Prisma client of the server process, behind the query-counting adapter.
// The session reference, the lab and the scripts import it; components never do.
import { PrismaClient } from '@/lib/generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '@/lib/generated/prisma-postgresql/client';
import { getEnv } from '@/lib/env';
import { createAdapterFactory, getDatabaseKind } from './adapter';
import { processSingleton } from '@/lib/process-state';
import { withQueryCounting } from './query-counter';
import { isStoreUnavailable, StoreUnavailableError } from './unavailable';

/**
 * Both generated clients have the same models and methods (scripts/prisma-clients.ts derives one
 * schema from the other), so the app is typed against the SQLite one and uses what both support.
 */
export function createPrismaClient(url: string, pool: { max?: number } = {}) {
  const adapter = withQueryCounting(createAdapterFactory(url, pool));
  const client = getDatabaseKind(url) === 'postgresql' ? (new PostgresPrismaClient({ adapter }) as unknown as PrismaClient) : new PrismaClient({ adapter });
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          throw isStoreUnavailable(error) ? new StoreUnavailableError(error) : error;
        }
      },
    },
  });
}

type Db = ReturnType<typeof createPrismaClient>;

const holder = processSingleton('prisma', () => ({ client: undefined as Db | undefined }));

/** Lazy, so importing this module never opens a database (the proxy must stay database-free). */
export function getDb(): Db {
  const env = getEnv();
  holder.client ??= createPrismaClient(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX });
  return holder.client;
}
