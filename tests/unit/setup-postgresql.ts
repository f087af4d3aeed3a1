// The PostgreSQL project: each test file gets its own database in the shared server, migrated
// with the PostgreSQL migrations exactly as `npm run demo:cluster` migrates its database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, inject } from 'vitest';
import { migrate } from '@/lib/db/migrate';

const admin = new URL(inject('postgresUrl'));
const database = `unit_${randomBytes(6).toString('hex')}`;
const url = new URL(admin);
url.pathname = `/${database}`;
process.env.DATABASE_URL = url.toString();
process.env.SESSION_SECRET ??= 'uT8-kQ2vZp9xLw4rN7bY1cM6dF3gH5jK0sA';
process.env.COOKIE_SECURE = 'false';

beforeAll(async () => {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  await migrate(process.env.DATABASE_URL!);
});
