import 'server-only';
// User accounts: the only queries on the User table, so actions never touch Prisma directly.
import { getDb } from '@/lib/db/client';
import { hashPassword, verifyPassword } from '@/lib/session/passwords';
import { randomId } from '@/lib/session/ids';
import { reissueSession, revokeOtherSessions, type ClientInfo, type IssuedSession, type Session, type SessionUser } from '@/lib/session';

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

export type PasswordChange = { issued: IssuedSession | null; signedOut: number };

/**
 * Sets a new password if the current one is right (null, and nothing changed, otherwise), signs
 * every other session of the user out, and continues this browser's session as a new one, so a
 * copy of its cookie dies with the old one. `issued` is null if another request re-issued or
 * revoked this session meanwhile.
 *
 * The order keeps this browser's own requests in flight from being refused as "password changed"
 * (and signing it out): this session is marked as freshly signed in, with the same instant as the
 * user's stamp, before the stamp lands. Its old token is then refused only once its successor
 * exists, as "replaced", which never clears a cookie (lib/session/reasons.ts).
 */
export async function changePassword(
  current: Session,
  passwords: { current: string; next: string },
  client: ClientInfo,
  now = new Date(),
): Promise<PasswordChange | null> {
  const db = getDb();
  const userId = current.user.id;
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user?.passwordHash, passwords.current))) return null;
  const passwordHash = await hashPassword(passwords.next);
  await db.session.updateMany({ where: { tokenHash: current.tokenHash, revokedAt: null }, data: { authenticatedAt: now } });
  // The stamp ends every session signed in before now, whichever rows are revoked below.
  await db.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: now } });
  const signedOut = await revokeOtherSessions(current, 'password-changed');
  const issued = await reissueSession(current, current.mode, client, 'password-changed-here', { reauthenticatedAt: now });
  return { issued, signedOut };
}

/** When the user's password last changed (null: never), so a trusted-device cookie can be bound to it. */
export async function passwordChangedAtOf(email: string): Promise<Date | null | undefined> {
  const user = await getDb().user.findUnique({ where: { email }, select: { passwordChangedAt: true } });
  return user ? user.passwordChangedAt : undefined;
}
