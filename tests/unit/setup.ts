// Each test file gets its own real SQLite database file, migrated like production.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll } from 'vitest';
import { migrate } from '@/lib/db/migrate';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jwt-sessions-unit-'));
process.env.DATABASE_URL = `file:${path.join(dir, 'test.db')}`;
process.env.SESSION_SECRET ??= 'uT8-kQ2vZp9xLw4rN7bY1cM6dF3gH5jK0sA';
process.env.COOKIE_SECURE = 'false';

beforeAll(async () => {
  await migrate(process.env.DATABASE_URL!);
});
