import 'server-only';
// 14 · Accounts: the only queries on the User table, and its passwords, hashed with argon2id at
// OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). An app with users of its own keeps its
// own, and gives startSession a SessionUser.
// The end. Beside the core: reissue.ts (mode switch, password change), the hardening add-ons
// (hardening/), and the copy manifest (copy-manifest.json).
import { hash, verify } from '@node-rs/argon2';
import { getDb } from '@/lib/db/client';
import { randomId } from './01-settings';
import type { SessionUser } from './04-store';

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const PUBLIC_FIELDS = { id: true, name: true, email: true, role: true } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

let dummyHash: Promise<string> | undefined;

/** Whether `password` matches; an unknown account is checked against a dummy hash, so both failures take the same time. */
async function passwordMatches(passwordHash: string | undefined, password: string) {
  dummyHash ??= hashPassword('dummy password to equalise timing');
  return verify(passwordHash ?? (await dummyHash), password).then(
    (ok) => ok && passwordHash !== undefined,
    () => false,
  );
}

/** The user if the password is right, else null. */
export async function authenticateUser(email: string, password: string): Promise<SessionUser | null> {
  const user = await getDb().user.findUnique({ where: { email }, select: { ...PUBLIC_FIELDS, passwordHash: true, disabledAt: true } });
  if (!(await passwordMatches(user?.passwordHash, password)) || !user || user.disabledAt) return null;
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}

/** A new account, or null when the email is taken (Prisma's unique-constraint error). */
export async function createUser(input: { name: string; email: string; password: string }): Promise<SessionUser | null> {
  const data = { id: randomId(), name: input.name, email: input.email, passwordHash: await hashPassword(input.password) };
  return getDb()
    .user.create({ data, select: PUBLIC_FIELDS })
    .catch((error) => ((error as { code?: string }).code === 'P2002' ? null : Promise.reject(error)));
}

/** Whether this is the user's password (to confirm a sensitive action). */
export async function verifyUserPassword(userId: string, password: string) {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return passwordMatches(user?.passwordHash, password);
}
