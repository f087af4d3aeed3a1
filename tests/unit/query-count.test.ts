// Statements per session check, counted at the driver adapter, on both paths: the core's own
// (Prisma's findUnique with the user included: two statements on SQLite and PostgreSQL, which
// Prisma joins only with its relationJoins preview) and the fast path's prepared read (one).
import { afterEach, describe, expect, it } from 'vitest';
import { countQueries } from '@/lib/db/query-counter';
import { switchFastPath } from '@/lib/fast-path/install';
import { checkSession, createSession } from '@/lib/session/10-sessions';
import { CLIENT, createTestUser } from './helpers';

afterEach(() => switchFastPath(false));

describe.each([
  { path: 'the core path', fast: false, stateful: 2 },
  { path: 'the fast path', fast: true, stateful: 1 },
])('database queries per session check on $path', ({ fast, stateful }) => {
  it('is 0 for a stateless check', async () => {
    switchFastPath(fast);
    const issued = await createSession(await createTestUser(), 'stateless', CLIENT);
    const { result, queries } = await countQueries(() => checkSession(issued.token));
    expect(result.ok).toBe(true);
    expect(queries).toBe(0);
  });

  it(`is exactly ${stateful} for a stateful check`, async () => {
    switchFastPath(fast);
    const issued = await createSession(await createTestUser(), 'stateful', CLIENT);
    const { result, queries } = await countQueries(() => checkSession(issued.token));
    expect(result.ok).toBe(true);
    expect(queries).toBe(stateful);
  });
});

it('counts real statements, so creating a session shows up', async () => {
  const user = await createTestUser();
  const { queries } = await countQueries(() => createSession(user, 'stateful', CLIENT));
  expect(queries).toBeGreaterThanOrEqual(1);
});
