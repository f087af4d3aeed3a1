// The session store goes away and comes back, on a real PostgreSQL of this file's own (stopping
// the shared one would take the other test files down with it). A stateful check must fail
// closed, with an error that says "unavailable" rather than a verdict on the session; a stateless
// check keeps reading; the same client recovers when the server is back.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrate';
import { isStoreUnavailable, StoreUnavailableError, STORE_UNAVAILABLE_DIGEST } from '@/lib/db/unavailable';
import { resetEnvForTests } from '@/lib/env';
import { authorizeWrite, checkSession, createSession } from '@/lib/session/10-sessions';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../scripts/embedded-postgres';
import { CLIENT, createTestUser } from './helpers';

let postgres: RunningPostgres;

beforeAll(async () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'jwt-sessions-outage-'));
  chmodSync(parent, 0o755);
  postgres = await startEmbeddedPostgres({ dataDir: path.join(parent, 'cluster'), port: await freePort(), temporary: true });
  await postgres.createDatabase('outage');
  process.env.DATABASE_URL = postgres.url('outage');
  resetEnvForTests();
  await migrate(process.env.DATABASE_URL);
});

afterAll(() => postgres?.dispose());

async function signIn(mode: 'stateful' | 'stateless') {
  const issued = await createSession(await createTestUser(), mode, CLIENT);
  const verified = await checkSession(issued.token);
  if (!verified.ok) throw new Error(`fresh ${mode} session refused: ${verified.reason}`);
  return { token: issued.token, session: verified.session };
}

describe('a database outage', () => {
  it('fails a stateful check closed, keeps stateless reads, refuses writes, and recovers without a new client', async () => {
    const stateful = await signIn('stateful');
    const stateless = await signIn('stateless');

    await postgres.stop();
    try {
      const during = await checkSession(stateful.token).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      expect(during).toEqual({ error: expect.any(StoreUnavailableError) });
      expect((during as { error: StoreUnavailableError }).error.digest).toBe(STORE_UNAVAILABLE_DIGEST);

      await expect(checkSession(stateless.token)).resolves.toMatchObject({ ok: true, session: { mode: 'stateless' } });
      await expect(authorizeWrite(stateless.session, null)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await postgres.start();
    }

    await expect(checkSession(stateful.token)).resolves.toMatchObject({ ok: true, session: { mode: 'stateful' } });
    await expect(authorizeWrite(stateless.session, null)).resolves.toMatchObject({ ok: true });
  });

  it('is told apart from errors that are not about reaching the database', async () => {
    const user = await createTestUser();
    const duplicate = await getDb()
      .user.create({ data: { id: user.id, name: 'Again', email: 'again@example.test', passwordHash: 'x' } })
      .catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).not.toBeInstanceOf(StoreUnavailableError);
    expect(isStoreUnavailable(duplicate)).toBe(false);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
