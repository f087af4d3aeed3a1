import 'server-only';
// 14 · Accounts: the only queries on the User table, and its passwords, hashed with argon2id at
// OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). A password change ends every other
// session and continues this one as a new one.
// The end. Beside the core: the hardening add-ons (lib/session/hardening/), and the copy manifest.
import { hash, verify } from '@node-rs/argon2';
import { getDb } from '@/lib/db/client';
import { randomId } from './01-settings';
import { revokeOtherSessions, type ClientInfo, type SessionUser } from './04-store';
import type { IssuedSession, Session } from './05-session';
import { reissueSession } from './10-sessions';

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const PUBLIC_FIELDS = { id: true, name: true, email: true, role: true } as const;

export function hashPassword(password: string) {
  return hash(password, ARGON2);
}

let dummyHash: Promise<string> | undefined;

/** Whether `password` matches; an unknown account is checked against a dummy hash, so both failures take the same time. */
async function passwordMatches(passwordHash: string | null | undefined, password: string) {
  dummyHash ??= hashPassword('dummy password to equalise timing');
  try {
    return (await verify(passwordHash ?? (await dummyHash), password)) && passwordHash != null;
  } catch {
    return false;
  }
}

/** The user if the password is right, else null. */
export async function authenticateUser(email: string, password: string): Promise<SessionUser | null> {
  const user = await getDb().user.findUnique({ where: { email }, select: { ...PUBLIC_FIELDS, passwordHash: true, disabledAt: true } });
  if (!(await passwordMatches(user?.passwordHash, password)) || !user || user.disabledAt) return null;
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}

/** A new account, or null when the email is taken. */
export async function createUser(input: { name: string; email: string; password: string }): Promise<SessionUser | null> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().user.create({ data: { id: randomId(), name: input.name, email: input.email, passwordHash }, select: PUBLIC_FIELDS });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return null; // the email is taken
    throw error;
  }
}

/** Whether this is the user's password (to confirm a sensitive action). */
export async function verifyUserPassword(userId: string, password: string) {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return passwordMatches(user?.passwordHash, password);
}

/**
 * Sets a new password if the current one is right (null, and nothing changed, otherwise), signs
 * every other session of the user out, and continues this session, authorised for a write, as a
 * new one: a copy of this browser's cookie dies with the old one. `issued` is null when another
 * request re-issued or revoked it meanwhile.
 *
 * The order keeps this browser's own requests in flight from being refused as "password changed"
 * (and signing it out): this session is marked as freshly signed in, at the same instant as the
 * user's stamp, before the stamp lands. Its old token is then refused only once its successor
 * exists, as "replaced", which never clears a cookie (05-session.ts).
 */
export async function changePassword(current: Session, passwords: { current: string; next: string }, client: ClientInfo, now = new Date()) {
  const db = getDb();
  if (!(await verifyUserPassword(current.user.id, passwords.current))) return null;
  const passwordHash = await hashPassword(passwords.next);
  await db.session.updateMany({ where: { tokenHash: current.tokenHash, revokedAt: null }, data: { authenticatedAt: now } });
  // The stamp ends every session signed in before now, whichever rows are revoked below.
  await db.user.update({ where: { id: current.user.id }, data: { passwordHash, passwordChangedAt: now } });
  const signedOut = await revokeOtherSessions(current.user.id, current.tokenHash, 'password-changed');
  const issued: IssuedSession | null = await reissueSession(current, current.mode, client, 'password-changed-here', { reauthenticatedAt: now });
  return { issued, signedOut };
}
