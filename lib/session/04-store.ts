import 'server-only';
// 04 · The session store: the Session row (every mode writes one at login, so the devices page can
// list every browser), the one rule that decides whether a row is alive, and the operations on
// rows, each a verb. Rows are keyed by a hash of the token's secret id (01-settings.ts).
// The row a check reads comes through readSessionRow, whose default is Prisma's ordinary query;
// a faster one can be plugged in (this repository's prepared read: lib/fast-path/).
// Next: 05-session.ts.
import { getDb } from '@/lib/db/client';
import { getSettings, randomId, shared } from './01-settings';

export type SessionUser = { id: string; name: string; role: string; email: string | null };

export type ClientInfo = { userAgent: string; ip: string };

export type SessionRow = {
  id: string;
  mode: string;
  deviceId: string;
  /** When the user last typed a password for this session (a re-issue carries it over). */
  authenticatedAt: Date;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  user: SessionUser & { disabledAt: Date | null; passwordChangedAt: Date | null };
};

const ROW_FIELDS = {
  id: true,
  mode: true,
  deviceId: true,
  authenticatedAt: true,
  createdAt: true,
  lastActiveAt: true,
  expiresAt: true,
  revokedAt: true,
  revokedReason: true,
} as const;
const USER_FIELDS = { id: true, name: true, email: true, role: true, disabledAt: true, passwordChangedAt: true } as const;

async function readWithPrisma(tokenHash: string): Promise<SessionRow | null> {
  const row = await getDb().session.findUnique({ where: { tokenHash }, select: { ...ROW_FIELDS, user: { select: USER_FIELDS } } });
  return row && { ...row, authenticatedAt: row.authenticatedAt ?? row.createdAt };
}

export type SessionRowReader = (tokenHash: string) => Promise<SessionRow | null>;

const reader = shared('session-row-reader', () => ({ read: readWithPrisma as SessionRowReader }));

/** The row of a token's secret id, with its user: the one read of a stateful request. */
export function readSessionRow(tokenHash: string) {
  return reader.read(tokenHash);
}

/** Plugs in another way to read the row (it must return what Prisma's query returns); none: Prisma's again. */
export function setSessionRowReader(read: SessionRowReader = readWithPrisma) {
  reader.read = read;
}

export type RowRefusal = {
  ok: false;
  reason: 'unknown-session' | 'revoked' | 'expired' | 'idle' | 'user-disabled' | 'password-changed';
  revokedReason?: string | null;
};

const refused = (reason: RowRefusal['reason'], revokedReason?: string | null): RowRefusal => ({
  ok: false,
  reason,
  ...(revokedReason !== undefined ? { revokedReason } : {}),
});

/**
 * The row if it is alive, or why it may no longer be used. `tracksActivity`: the mode records
 * activity on the row (stateful requests, hybrid refreshes), so idle time counts; a stateless
 * request records nothing, so its row cannot know.
 */
export function liveRow(row: SessionRow | null, mode: string, now: Date, tracksActivity: boolean): { ok: true; row: SessionRow } | RowRefusal {
  if (!row || row.mode !== mode) return refused('unknown-session');
  if (row.revokedAt) return refused('revoked', row.revokedReason);
  if (row.expiresAt <= now) return refused('expired');
  if (tracksActivity && row.lastActiveAt.getTime() + getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000 <= now.getTime()) return refused('idle');
  if (row.user.disabledAt) return refused('user-disabled');
  // A password change ends every session signed in before it, even one whose row it missed, and
  // a session re-issued from one of those (it keeps the original sign-in time).
  if (row.user.passwordChangedAt && row.authenticatedAt < row.user.passwordChangedAt) return refused('password-changed');
  return { ok: true, row };
}

/** What a new row records besides the user, its mode and its key. */
export type SessionTerms = { expiresAt: Date; deviceId: string; authenticatedAt: Date };

export async function insertSessionRow(row: { id?: string; tokenHash: string; mode: string; user: SessionUser; client: ClientInfo; terms: SessionTerms }) {
  const { id } = await getDb().session.create({
    data: { id: row.id ?? randomId(), tokenHash: row.tokenHash, mode: row.mode, userId: row.user.id, ...row.client, ...row.terms, lastActiveAt: new Date() },
    select: { id: true },
  });
  return id;
}

type Ending = { revokedAt: Date; revokedReason: string };
const ending = (reason: string): Ending => ({ revokedAt: new Date(), revokedReason: reason });

/** Signs out the session of this token (for stateless: bookkeeping); false if it already was. */
export async function revokeSessionByToken(tokenHash: string, reason: string) {
  const { count } = await getDb().session.updateMany({ where: { tokenHash, revokedAt: null }, data: ending(reason) });
  return count > 0;
}

/**
 * Signs out one of the user's sessions by its public row id; the mode it had, or null. The userId
 * condition is the IDOR guard: an id that belongs to someone else matches no row.
 */
export async function revokeSession(userId: string, sessionId: string, reason: string) {
  const { count } = await getDb().session.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: ending(reason) });
  if (count === 0) return null;
  return (await getDb().session.findUnique({ where: { id: sessionId }, select: { mode: true } }))?.mode ?? null;
}

/** Signs out every session of the user but the one of this token. */
export async function revokeOtherSessions(userId: string, tokenHash: string, reason: string) {
  const { count } = await getDb().session.updateMany({ where: { userId, revokedAt: null, tokenHash: { not: tokenHash } }, data: ending(reason) });
  return count;
}

/** Signs out every session of the user. */
export async function revokeAllSessions(userId: string, reason: string) {
  const { count } = await getDb().session.updateMany({ where: { userId, revokedAt: null }, data: ending(reason) });
  return count;
}

/** Records activity at `now` unless the row was signed out (or, given `notSince`, another request recorded some since). */
export async function touchSession(where: { tokenHash: string } | { id: string }, now: Date, notSince?: Date) {
  const recent = notSince ? { lastActiveAt: { lt: notSince } } : {};
  const { count } = await getDb().session.updateMany({ where: { ...where, revokedAt: null, ...recent }, data: { lastActiveAt: now } });
  return count > 0;
}

export type SessionRecord = Omit<SessionRow, 'user'> & { tokenHash: string; userAgent: string; ip: string };

/** The user's unexpired rows, the most recently active first (the devices page lists those its mode calls listed). */
export async function getSessionRows(userId: string, now: Date): Promise<SessionRecord[]> {
  const rows = await getDb().session.findMany({ where: { userId, expiresAt: { gt: now } }, orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }] });
  return rows.map(({ userId: _user, ...row }) => ({ ...row, authenticatedAt: row.authenticatedAt ?? row.createdAt }));
}

/** Dead rows are kept this long, so a signed-out browser still learns why it was signed out. */
const RETENTION_MS = 24 * 3600 * 1000;

/**
 * Deletes expired rows, and revoked or idle ones once the retention has passed (with their refresh
 * tokens). A stateless row never records activity, but it has expired long before it looks idle.
 */
export async function purgeSessions(now = new Date()) {
  const before = new Date(now.getTime() - RETENTION_MS);
  const idleBefore = new Date(before.getTime() - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  const { count } = await getDb().session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { revokedAt: { lt: before } }, { lastActiveAt: { lt: idleBefore } }] },
  });
  return count;
}
