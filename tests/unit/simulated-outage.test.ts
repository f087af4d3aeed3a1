// The outage drill on a single server simulates the database going away: for a while every query
// of the process fails as an unreachable database would, with the same error, so a stateful check
// fails closed and a stateless one reads on, exactly as in the cluster's real outage; then it ends.
import { describe, expect, it } from 'vitest';
import { getDb, simulateStoreOutage } from '@/lib/db/client';
import { STORE_UNAVAILABLE_DIGEST } from '@/lib/db/unavailable';
import { checkSession, createSession } from '@/lib/session/10-sessions';
import { CLIENT, createTestUser } from './helpers';

describe('a simulated store outage', () => {
  it('fails every query as unreachable while it lasts: stateful checks fail closed, stateless ones read on; it ends on time', async () => {
    const user = await createTestUser();
    const stateful = await createSession(user, 'stateful', CLIENT);
    const stateless = await createSession(user, 'stateless', CLIENT);
    simulateStoreOutage(60_000);
    try {
      await expect(getDb().user.count()).rejects.toMatchObject({ digest: STORE_UNAVAILABLE_DIGEST });
      await expect(checkSession(stateful.token)).rejects.toMatchObject({ digest: STORE_UNAVAILABLE_DIGEST });
      expect((await checkSession(stateless.token)).ok).toBe(true);
    } finally {
      simulateStoreOutage(0);
    }
    expect((await checkSession(stateful.token)).ok).toBe(true);

    simulateStoreOutage(50);
    await expect(getDb().user.count()).rejects.toMatchObject({ digest: STORE_UNAVAILABLE_DIGEST });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await getDb().user.count()).toBeGreaterThan(0);
  });
});
