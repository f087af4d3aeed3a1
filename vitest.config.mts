import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The session store's tests run twice: on a SQLite file (the embedded default) and on a real
// PostgreSQL started from node_modules (the cluster's database).
const STORE_TESTS = ['session', 'hybrid', 'writes', 'query-count', 'housekeeping', 'throttle', 'prepared-read'].map((name) => `tests/unit/${name}.test.ts`);
const POSTGRESQL_ONLY = ['tests/unit/schema-drift.test.ts', 'tests/unit/store-outage.test.ts'];

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(__dirname),
      // `server-only` throws outside React's server build; the unit tests are server code.
      'server-only': path.resolve(__dirname, 'tests/unit/server-only-stub.ts'),
    },
  },
  test: {
    pool: 'forks',
    testTimeout: 20000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['tests/unit/**/*.test.ts'], exclude: POSTGRESQL_ONLY, setupFiles: ['tests/unit/setup.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgresql',
          include: [...STORE_TESTS, ...POSTGRESQL_ONLY],
          globalSetup: ['tests/unit/postgres-global.ts'],
          setupFiles: ['tests/unit/setup-postgresql.ts'],
          hookTimeout: 60000,
        },
      },
    ],
  },
});
