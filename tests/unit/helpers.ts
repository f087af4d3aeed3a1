// Shared fixtures for unit tests: a user row, a client description, and the cookie header of a
// browser holding a hybrid refresh token (the unit tests run with COOKIE_SECURE=false).
import { getDb } from '@/lib/db/client';
import { randomId } from '@/lib/session/01-settings';
import type { SessionUser } from '@/lib/session/04-store';

export const CLIENT = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) UnitTest/1.0', ip: '127.0.0.1' };

export async function createTestUser(name = 'Test User'): Promise<SessionUser> {
  return getDb().user.create({
    data: { id: randomId(), name, email: `${randomId()}@example.test`, passwordHash: 'not-a-real-hash' },
    select: { id: true, name: true, email: true, role: true },
  });
}

/** The Cookie header of a browser that holds this refresh token (or none). */
export function withRefreshCookie(refreshToken?: string) {
  return refreshToken === undefined ? null : `refresh=${refreshToken}`;
}
