// The one Prisma client of the server process, behind the query-counting adapter.
// The session reference, the lab and the scripts import it; components never do.
import { PrismaClient } from '@/lib/generated/prisma/client';
import { getEnv } from '@/lib/env';
import { createAdapterFactory } from './adapter';
import { processSingleton } from '@/lib/process-state';
import { withQueryCounting } from './query-counter';

export function createPrismaClient(url: string) {
  return new PrismaClient({ adapter: withQueryCounting(createAdapterFactory(url)) });
}

const holder = processSingleton('prisma', () => ({ client: undefined as PrismaClient | undefined }));

/** Lazy, so importing this module never opens a database (the proxy must stay database-free). */
export function getDb(): PrismaClient {
  holder.client ??= createPrismaClient(getEnv().DATABASE_URL);
  return holder.client;
}
