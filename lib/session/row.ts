import 'server-only';
// The Session row as the checks read it, and the one rule that decides whether it is alive.
// The stateful check applies it on every request; the stateless mode applies it only before
// a write ("stateless for reads, the row for writes"), so both modes refuse exactly alike.
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { prepareSelect } from '@/lib/db/client';
import type { VerifiedToken } from './token';
import type { RejectionReason, Session, SessionUser, VerifyResult } from './types';

type DateValue = Date | string | number;

// The columns of the one statement, in order: the driver hands back an array per row (no object
// to build on every request), read by position in toSessionRow.
const COLUMNS = [
  's."mode"',
  's."deviceId"',
  's."authenticatedAt"',
  's."createdAt"',
  's."lastActiveAt"',
  's."expiresAt"',
  's."revokedAt"',
  's."revokedReason"',
  'u."id"',
  'u."name"',
  'u."email"',
  'u."role"',
  'u."disabledAt"',
  'u."passwordChangedAt"',
] as const;

type RawRow = [
  mode: string,
  deviceId: string,
  authenticatedAt: DateValue | null,
  createdAt: DateValue,
  lastActiveAt: DateValue,
  expiresAt: DateValue,
  revokedAt: DateValue | null,
  revokedReason: string | null,
  userId: string,
  name: string,
  email: string,
  role: string,
  disabledAt: DateValue | null,
  passwordChangedAt: DateValue | null,
];

export type SessionRow = {
  mode: SessionMode;
  deviceId: string;
  /** When the user last typed a password for this session (carried over by re-issues). */
  authenticatedAt: Date;
  createdAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  user: SessionUser;
  disabledAt: Date | null;
  passwordChangedAt: Date | null;
};

/** Raw rows carry dates as the driver stores them (Date for PostgreSQL, ISO text or ms for SQLite). */
function toDate(value: DateValue): Date;
function toDate(value: DateValue | null): Date | null;
function toDate(value: DateValue | null) {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

// The one statement of a stateful request: the row of a token's secret id, with its user.
// Prisma's include would send two (relationJoins does not cover SQLite), and the per-request
// query count is the point of the stateful mode. Prepared once, sent straight through the driver:
// through Prisma's query engine the same statement cost about 4× as much.
export const SESSION_ROW_SQL = `SELECT ${COLUMNS.join(', ')} FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."tokenHash" = $1`;
const selectSessionRow = prepareSelect('session-row', SESSION_ROW_SQL);

export async function readSessionRow(tokenHash: string): Promise<SessionRow | null> {
  return toSessionRow((await selectSessionRow(tokenHash)) as RawRow | undefined);
}

/** The row as the checks use it, from the statement's columns (exported for the lab, which reads it the slow way too). */
export function toSessionRow(row: readonly unknown[] | undefined): SessionRow | null {
  if (!row) return null;
  const [
    mode,
    deviceId,
    authenticatedAt,
    createdAt,
    lastActiveAt,
    expiresAt,
    revokedAt,
    revokedReason,
    userId,
    name,
    email,
    role,
    disabledAt,
    passwordChangedAt,
  ] = row as RawRow;
  return {
    mode: mode as SessionMode,
    deviceId,
    authenticatedAt: toDate(authenticatedAt) ?? toDate(createdAt),
    createdAt: toDate(createdAt),
    lastActiveAt: toDate(lastActiveAt),
    expiresAt: toDate(expiresAt),
    revokedAt: toDate(revokedAt),
    revokedReason,
    user: { id: userId, name, email, role },
    disabledAt: toDate(disabledAt),
    passwordChangedAt: toDate(passwordChangedAt),
  };
}

export type RowRefusal = { reason: RejectionReason; revokedReason?: string | null };

/**
 * Why this row may no longer be used, or null while it is alive. Idle time counts for stateful
 * rows (activity recorded by requests) and hybrid ones (recorded by refreshes): a stateless
 * request never records activity, so its row cannot know.
 */
export function refuseRow(row: SessionRow | null, mode: SessionMode, now = new Date()): RowRefusal | null {
  if (!row || row.mode !== mode) return { reason: 'unknown-session' };
  if (row.revokedAt) return { reason: 'revoked', revokedReason: row.revokedReason };
  if (row.expiresAt <= now) return { reason: 'expired' };
  if (mode !== 'stateless' && row.lastActiveAt.getTime() + getEnv().SESSION_IDLE_TIMEOUT_SECONDS * 1000 <= now.getTime()) return { reason: 'idle' };
  if (row.disabledAt) return { reason: 'user-disabled' };
  // A password change ends every session signed in before it, even one whose row it missed, and
  // a session re-issued from one of those (it keeps the original sign-in time).
  if (row.passwordChangedAt && row.authenticatedAt < row.passwordChangedAt) return { reason: 'password-changed' };
  return null;
}

/**
 * A read of the modes that trust the token alone (stateless, hybrid): who and until when, from the
 * signed claims. What only the row knows (activity, device, sign-in time) stays unknown.
 */
export function sessionFromClaims(token: VerifiedToken & { payload: { sub: string; name: string; role: string } }): Session {
  const { payload } = token;
  return {
    mode: token.mode,
    user: { id: payload.sub, name: payload.name, role: payload.role, email: null },
    tokenHash: token.tokenHash,
    issuedAt: new Date(payload.iat * 1000),
    expiresAt: new Date(payload.exp * 1000),
    lastActiveAt: null,
    token,
    deviceId: null,
    authenticatedAt: null,
  };
}

/**
 * A session confirmed against its row: the row's user is current (the token's copy of name and
 * role may be up to one lifetime old), and what only the row knows is filled in. `expiresAt` is
 * the end of the credential that was shown: never later than the row's, and for a stateless token
 * its own exp, so nothing re-issued from it can outlive it.
 */
export function confirmedSession(session: Session, row: SessionRow, expiresAt: Date): Session {
  return { ...session, user: row.user, expiresAt, deviceId: row.deviceId, authenticatedAt: row.authenticatedAt };
}

/**
 * Before a write, for stateless tokens, whose reads trust the token alone: the row must exist,
 * belong to the token's user, and be alive. One query, paid only by requests that change state,
 * which write to the database anyway.
 */
export async function confirmAgainstRow(session: Session, now = new Date()): Promise<VerifyResult> {
  const row = await readSessionRow(session.tokenHash);
  const refusal = refuseRow(row && row.user.id === session.user.id ? row : null, session.mode, now);
  if (refusal || !row) return { ok: false, ...(refusal ?? { reason: 'unknown-session' }) };
  return { ok: true, session: confirmedSession(session, row, new Date(Math.min(row.expiresAt.getTime(), session.expiresAt.getTime()))) };
}
