// Gives the end-to-end servers a clean database: deletes the SQLite file named by DATABASE_URL,
// then migrates and seeds it. Refuses anything but a file under ./data whose name starts with e2e.
import './load-env';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sqlitePath } from '@/lib/db/adapter';
import { migrate } from '@/lib/db/migrate';
import { seed } from '../prisma/seed';

async function main() {
  const url = process.env.DATABASE_URL ?? '';
  const file = url.startsWith('file:') ? sqlitePath(url) : '';
  if (!file.startsWith(path.resolve('data') + path.sep) || !path.basename(file).startsWith('e2e')) {
    throw new Error(`reset-db only resets ./data/e2e*.db, not ${url}`);
  }
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  await migrate(url);
  await seed(url);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
