import 'server-only';
// User accounts: the only queries on the User table, so actions never touch Prisma directly.
import { getDb } from '@/lib/db/client';
import { hashPassword, verifyPassword } from '@/lib/session/passwords';
import { randomId } from '@/lib/session/ids';
import type { SessionUser } from '@/lib/session';

const PUBLIC_FIELDS = { id: true, name: true, email: true, role: true } as const;

/** The user if the password is right, else null; unknown emails cost the same argon2 work. */
export async function authenticateUser(email: string, password: string): Promise<SessionUser | null> {
  const user = await getDb().user.findUnique({ where: { email }, select: { ...PUBLIC_FIELDS, passwordHash: true, disabledAt: true } });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!ok || !user || user.disabledAt) return null;
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}

export async function createUser(input: { name: string; email: string; password: string; role?: string }): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().user.create({
      data: { id: randomId(), name: input.name, email: input.email, role: input.role ?? 'user', passwordHash },
      select: PUBLIC_FIELDS,
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return null; // email already taken
    throw error;
  }
}

/** Whether this is the user's password (to confirm a sensitive action). */
export async function verifyUserPassword(userId: string, password: string) {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return verifyPassword(user?.passwordHash, password);
}

/** Sets a new password if the current one is right. Returns false (and changes nothing) otherwise. */
export async function changePassword(userId: string, currentPassword: string, newPassword: string) {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user?.passwordHash, currentPassword))) return false;
  // The stamp ends every session created before now, whichever rows the caller revokes.
  await getDb().user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() } });
  return true;
}
