// One-time (and repeatable) set-up: a random SESSION_SECRET in .env.local, the Prisma clients (SQLite and PostgreSQL),
// the database migrated and seeded. Run by `npm run demo` and `npm test`.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const ENV_FILE = '.env.local';

function ensureSecret() {
  const current = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, 'utf8') : '';
  if (/^SESSION_SECRET=.+$/m.test(current) || process.env.SESSION_SECRET) return;
  const line = `SESSION_SECRET=${randomBytes(48).toString('base64url')}\n`;
  writeFileSync(ENV_FILE, (current && !current.endsWith('\n') ? `${current}\n` : current) + line, { mode: 0o600 });
  console.log(`wrote a random SESSION_SECRET to ${ENV_FILE}`);
}

async function main() {
  ensureSecret();
  (await import('./prisma-clients')).generateClients();
  (await import('./count-loc')).writeSourceStats();
  await import('./load-env');
  const { DEFAULT_DATABASE_URL } = await import('@/lib/db/adapter');
  const { migrate } = await import('@/lib/db/migrate');
  const { seed } = await import('../prisma/seed');
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const applied = await migrate(url);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  await seed(url);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
