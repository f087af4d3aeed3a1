// The demo accounts the seed creates. The login page lists those that still exist with their
// seeded password (never changed), so a new user can sign in at once. Demo only: not part of the
// session reference.
import { getDb } from '@/lib/db/client';

export const DEMO_USERS = [
  { name: 'Alice Example', email: 'alice@example.com', password: 'alice-password', role: 'admin' },
  { name: 'Bob Example', email: 'bob@example.com', password: 'bob-password', role: 'user' },
] as const;

export type DemoUser = (typeof DEMO_USERS)[number];

/** The seeded demo accounts that still have their seeded password (never changed since). */
export async function listDemoAccounts(): Promise<DemoUser[]> {
  const emails = DEMO_USERS.map((user) => user.email);
  const rows = await getDb().user.findMany({ where: { email: { in: emails }, passwordChangedAt: null, disabledAt: null }, select: { email: true } });
  return DEMO_USERS.filter((user) => rows.some((row) => row.email === user.email));
}
