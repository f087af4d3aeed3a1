// The fast path's prepared read (lib/fast-path/prepared-read.ts) against the core's own, Prisma's
// findUnique with the user included: for every kind of row, on SQLite and on PostgreSQL, the same
// session row, date for date, and null for a token of no row.
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { readPreparedSessionRow } from '@/lib/fast-path/prepared-read';
import { hashSecretId } from '@/lib/session/01-settings';
import { readSessionRow, revokeSession, setSessionRowReader } from '@/lib/session/04-store';
import { createSession } from '@/lib/session/10-sessions';
import { CLIENT, createTestUser } from './helpers';

/** The row of a stateful token, read by Prisma (the core's default) and by the prepared statement. */
async function bothReads(tokenHash: string) {
  setSessionRowReader();
  return { prisma: await readSessionRow(tokenHash), prepared: await readPreparedSessionRow(tokenHash) };
}

function tokenHashOf(token: string) {
  return hashSecretId(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid);
}

describe('the prepared read of the session row', () => {
  it('returns what Prisma returns for a live row, with its user', async () => {
    const issued = await createSession(await createTestUser('Pia'), 'stateful', CLIENT);
    const { prisma, prepared } = await bothReads(tokenHashOf(issued.token));
    expect(prisma).not.toBeNull();
    expect(prepared).toEqual(prisma);
  });

  it('returns what Prisma returns for a revoked row of a disabled user whose password changed', async () => {
    const user = await createTestUser('Rex');
    const issued = await createSession(user, 'stateful', CLIENT);
    await revokeSession(user.id, issued.sessionId, 'signed-out-by-other-device');
    await getDb().user.update({ where: { id: user.id }, data: { disabledAt: new Date(), passwordChangedAt: new Date() } });
    const { prisma, prepared } = await bothReads(tokenHashOf(issued.token));
    expect(prisma).toMatchObject({ revokedReason: 'signed-out-by-other-device', user: { disabledAt: expect.any(Date) } });
    expect(prepared).toEqual(prisma);
  });

  it('returns null for a token of no row, as Prisma does', async () => {
    expect(await bothReads(hashSecretId('no such session'))).toEqual({ prisma: null, prepared: null });
  });
});
