// Shared fixtures for unit tests: a user row and a client description.
import { getDb } from '@/lib/db/client';
import { randomId } from '@/lib/session/ids';
import type { SessionUser } from '@/lib/session';

export const CLIENT = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) UnitTest/1.0', ip: '127.0.0.1' };

export async function createTestUser(name = 'Test User'): Promise<SessionUser> {
  const id = randomId();
  return getDb().user.create({
    data: { id, name, email: `${id}@example.test`, passwordHash: 'not-a-real-hash' },
    select: { id: true, name: true, email: true, role: true },
  });
}
