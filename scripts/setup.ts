// One-time (and repeatable) set-up: a random SESSION_SECRET in .env.local, the Prisma client,
// the database migrated and seeded. Run by `npm run demo` and `npm test`.
import { execFileSync } from 'node:child_process';
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

function generateClient() {
  // `prisma generate` only checks that a schema engine exists; it never runs it. Pointing it at
  // the Node binary avoids the download that fails offline.
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

async function main() {
  ensureSecret();
  generateClient();
  (await import('./count-loc')).writeSourceStats();
  await import('./load-env');
  const { getEnv } = await import('@/lib/env');
  const { migrate } = await import('@/lib/db/migrate');
  const { seed } = await import('../prisma/seed');
  const url = getEnv().DATABASE_URL;
  const applied = await migrate(url);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  await seed(url);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
