import 'server-only';
// A speed-up beside the session core, not part of it: the stateful check's one read as a single
// prepared statement, sent straight through the driver beneath Prisma (better-sqlite3, or pg over
// a pipelined connection of its own: lib/db/adapter.ts). Through Prisma's query engine the row and
// its user cost two statements on SQLite (relationJoins does not cover it) and several times the
// time. It plugs in through the core's setSessionRowReader (install.ts), and must return what
// Prisma's query returns: tests/unit/prepared-read.test.ts compares the two on real databases.
import { prepareSelect } from '@/lib/db/client';
import type { SessionRow } from '@/lib/session/04-store';

type DateValue = Date | string | number;

// The columns of the one statement, in order: the driver hands back an array per row (no object
// to build on every request), read by position below.
const COLUMNS = [
  's."id"',
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
  id: string,
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

const SESSION_ROW_SQL = `SELECT ${COLUMNS.join(', ')} FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."tokenHash" = $1`;

/** Raw rows carry dates as the driver stores them (Date for PostgreSQL, ISO text or ms for SQLite). */
function toDate(value: DateValue): Date;
function toDate(value: DateValue | null): Date | null;
function toDate(value: DateValue | null) {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

/** The row as the core reads it, from the statement's columns. */
function toSessionRow(row: readonly unknown[] | undefined): SessionRow | null {
  if (!row) return null;
  const [
    id,
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
    id,
    mode,
    deviceId,
    authenticatedAt: toDate(authenticatedAt) ?? toDate(createdAt),
    createdAt: toDate(createdAt),
    lastActiveAt: toDate(lastActiveAt),
    expiresAt: toDate(expiresAt),
    revokedAt: toDate(revokedAt),
    revokedReason,
    user: { id: userId, name, email, role, disabledAt: toDate(disabledAt), passwordChangedAt: toDate(passwordChangedAt) },
  };
}

const select = prepareSelect('session-row', SESSION_ROW_SQL);

export async function readPreparedSessionRow(tokenHash: string): Promise<SessionRow | null> {
  return toSessionRow((await select(tokenHash)) as RawRow | undefined);
}
