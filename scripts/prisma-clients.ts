// Two generated Prisma clients from one schema. A Prisma client is generated for one provider,
// so prisma/schema.prisma (SQLite, the embedded default) is the source of truth and the
// PostgreSQL schema is derived from it here, never edited by hand. The migrations are the only
// per-provider files; tests/unit/schema-drift.test.ts fails when the two sets drift apart.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCE = 'prisma/schema.prisma';
const POSTGRES_SCHEMA = 'lib/generated/postgresql/schema.prisma';

function replaceOnce(text: string, from: string, to: string) {
  if (text.split(from).length !== 2) throw new Error(`${SOURCE} must contain exactly one ${from}`);
  return text.replace(from, to);
}

export function derivePostgresSchema(source: string) {
  const header = `// Generated from ${SOURCE} by scripts/prisma-clients.ts. Do not edit.\n`;
  const withProvider = replaceOnce(source, 'provider = "sqlite"', 'provider = "postgresql"');
  return header + replaceOnce(withProvider, 'output   = "../lib/generated/prisma"', 'output   = "../prisma-postgresql"');
}

function generate(schema: string) {
  // `prisma generate` only checks that a schema engine exists; it never runs it. Pointing it at
  // the Node binary avoids the download that fails offline.
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', schema], {
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

export function generateClients() {
  mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  writeFileSync(POSTGRES_SCHEMA, derivePostgresSchema(readFileSync(SOURCE, 'utf8')));
  generate(SOURCE);
  generate(POSTGRES_SCHEMA);
}
