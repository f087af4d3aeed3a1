// The one Prisma client of the server process, behind the query-counting adapter.
// The session reference, the lab and the scripts import it; components never do.
import { PrismaClient } from '@/lib/generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '@/lib/generated/prisma-postgresql/client';
import { getEnv } from '@/lib/env';
import { createAdapterFactory, getDatabaseKind } from './adapter';
import { processSingleton } from '@/lib/process-state';
import { withQueryCounting } from './query-counter';

/**
 * Both generated clients have the same models and methods (scripts/prisma-clients.ts derives one
 * schema from the other), so the app is typed against the SQLite one and uses what both support.
 */
export function createPrismaClient(url: string, pool: { max?: number } = {}): PrismaClient {
  const adapter = withQueryCounting(createAdapterFactory(url, pool));
  if (getDatabaseKind(url) === 'postgresql') return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  return new PrismaClient({ adapter });
}

const holder = processSingleton('prisma', () => ({ client: undefined as PrismaClient | undefined }));

/** Lazy, so importing this module never opens a database (the proxy must stay database-free). */
export function getDb(): PrismaClient {
  const env = getEnv();
  holder.client ??= createPrismaClient(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX });
  return holder.client;
}
