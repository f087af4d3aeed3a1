// Yours: the Prisma client the session code reads through (lib/session/04-store.ts imports getDb).
// This one is SQLite through better-sqlite3; any Prisma 7 client with the copy manifest's models works.
import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@/lib/generated/prisma/client';

const holder = globalThis as { prisma?: PrismaClient };

export function getDb() {
  holder.prisma ??= new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: process.env.DATABASE_URL ?? 'file:./app.db' }) });
  return holder.prisma;
}
