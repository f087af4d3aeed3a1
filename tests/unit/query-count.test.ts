import { describe, expect, it } from 'vitest';
import { countQueries } from '@/lib/db/query-counter';
import { createSession, verifySessionToken } from '@/lib/session';
import { CLIENT, createTestUser } from './helpers';

describe('database queries per session check, counted at the driver adapter', () => {
  it('is 0 for a stateless check', async () => {
    const issued = await createSession(await createTestUser(), 'stateless', CLIENT);
    const { result, queries } = await countQueries(() => verifySessionToken(issued.token));
    expect(result.ok).toBe(true);
    expect(queries).toBe(0);
  });

  it('is exactly 1 for a stateful check', async () => {
    const issued = await createSession(await createTestUser(), 'stateful', CLIENT);
    const { result, queries } = await countQueries(() => verifySessionToken(issued.token));
    expect(result.ok).toBe(true);
    expect(queries).toBe(1);
  });

  it('counts real statements, so creating a session shows up', async () => {
    const user = await createTestUser();
    const { queries } = await countQueries(() => createSession(user, 'stateful', CLIENT));
    expect(queries).toBeGreaterThanOrEqual(1);
  });
});
