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

const USER = { select: { id: true, name: true, email: true, role: true, disabledAt: true, passwordChangedAt: true } } as const;
const ROW = { id: true, mode: true, deviceId: true, authenticatedAt: true, createdAt: true, lastActiveAt: true, expiresAt: true, revokedAt: true } as const;

async function readWithPrisma(tokenHash: string) {
  const row = await getDb().session.findUnique({ where: { tokenHash }, select: { ...ROW, revokedReason: true, user: USER } });
  // authenticatedAt: when the user last typed a password for this session (a re-issue carries it over).
  return row && { ...row, authenticatedAt: row.authenticatedAt ?? row.createdAt };
}

export type SessionRow = NonNullable<Awaited<ReturnType<typeof readWithPrisma>>>;

const reader = shared('session-row-reader', () => ({ read: readWithPrisma }));

/** The row of a token's secret id, with its user: the one read of a stateful request. */
export const readSessionRow = (tokenHash: string) => reader.read(tokenHash);

/**
 * Plugs in another way to read the row (it must return what Prisma's query returns); none:
 * Prisma's again. A plug-in point for speed-ups beside the core.
 * @public
 */
export function setSessionRowReader(read: (tokenHash: string) => Promise<SessionRow | null> = readWithPrisma) {
  reader.read = read;
}

type RowReason = 'unknown-session' | 'revoked' | 'expired' | 'idle' | 'user-disabled' | 'password-changed';
export type RowRefusal = { ok: false; reason: RowReason; revokedReason?: string | null };

/**
 * The row if it is alive, or why it may no longer be used. `tracksActivity`: the mode records
 * activity on the row (stateful requests, hybrid refreshes), so idle time counts; a stateless
 * request records nothing, so its row cannot know.
 */
export function liveRow(row: SessionRow | null, mode: string, now: Date, tracksActivity: boolean): { ok: true; row: SessionRow } | RowRefusal {
  if (!row || row.mode !== mode) return { ok: false, reason: 'unknown-session' };
  if (row.revokedAt) return { ok: false, reason: 'revoked', revokedReason: row.revokedReason };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (tracksActivity && +row.lastActiveAt + getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000 <= +now) return { ok: false, reason: 'idle' };
  if (row.user.disabledAt) return { ok: false, reason: 'user-disabled' };
  // A password change ends every session signed in before it, even one whose row it missed, and
  // a session re-issued from one of those (it keeps the original sign-in time).
  if (row.user.passwordChangedAt && row.authenticatedAt < row.user.passwordChangedAt) return { ok: false, reason: 'password-changed' };
  return { ok: true, row };
}

/** What a new row records besides the user, its mode and its key. */
export type SessionTerms = { expiresAt: Date; deviceId: string; authenticatedAt: Date };

type NewRow = { id?: string; tokenHash: string; mode: string; user: SessionUser; client: ClientInfo; terms: SessionTerms };

export async function insertSessionRow({ id = randomId(), user, client, terms, ...row }: NewRow) {
  const data = { id, ...row, userId: user.id, ...client, ...terms, lastActiveAt: new Date() };
  return (await getDb().session.create({ data, select: { id: true } })).id;
}

type Where = { id?: string; tokenHash?: string | { not: string }; userId?: string };
const revoke = async (where: Where, reason: string) =>
  (await getDb().session.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } })).count;

/** Signs out the session of this token (for stateless: bookkeeping); false if it already was. */
export const revokeSessionByToken = async (tokenHash: string, reason: string) => (await revoke({ tokenHash }, reason)) > 0;

/** Signs out one of the user's sessions by its public row id; false if it already was. The userId is the IDOR guard: someone else's id matches no row. */
export const revokeSession = async (userId: string, sessionId: string, reason: string) => (await revoke({ id: sessionId, userId }, reason)) > 0;

/** Signs out every session of the user but the one of this token; how many. */
export const revokeOtherSessions = (userId: string, tokenHash: string, reason: string) => revoke({ userId, tokenHash: { not: tokenHash } }, reason);

/** Signs out every session of the user; how many. */
export const revokeAllSessions = (userId: string, reason: string) => revoke({ userId }, reason);

/**
 * A page of the user's rows that `where` (the ORM's own condition) selects, 50 a page, the most
 * recently active first, and whether more follow: never every row, however many there are.
 */
export async function getSessionRows(userId: string, where: NonNullable<Parameters<ReturnType<typeof getDb>['session']['findMany']>[0]>['where'], page = 0) {
  const select = { ...ROW, revokedReason: true, tokenHash: true, userAgent: true, ip: true };
  const orderBy = [{ lastActiveAt: 'desc' as const }, { id: 'desc' as const }];
  const rows = await getDb().session.findMany({ where: { userId, ...where }, select, orderBy, skip: page * 50, take: 51 });
  return { sessions: rows.slice(0, 50), more: rows.length > 50 };
}
