// Starts one throwaway PostgreSQL for the unit tests' PostgreSQL project; each test file then
// gets its own database in it (setup-postgresql.ts).
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres } from '../../scripts/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'jwt-sessions-pg-'));
  // As root, PostgreSQL runs as its own system user, which must be able to reach the directory.
  chmodSync(parent, 0o755);
  const dataDir = path.join(parent, 'cluster');
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), temporary: true });
  project.provide('postgresUrl', postgres.url('postgres'));
  return () => postgres.dispose();
}
