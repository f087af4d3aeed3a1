import 'server-only';
// Stateless mode: every claim the app needs travels in the signed token, and verifying a request
// reads nothing but the token. Login still writes a Session row so the devices page can list the
// device, and the row is read back only before a write: a signed-out stateless token can keep
// reading until exp (nothing can stop that without a lookup), but it can never act again.
import { getDb } from '@/lib/db/client';
import { hashSecretId } from './hash';
import { confirmAgainstRow, sessionFromClaims } from './row';
import { randomId } from '@/lib/session/ids';
import { signToken, type StatelessPayload, type VerifiedToken } from './token';
import type { ClientInfo, IssuedSession, SessionTerms, Session, SessionUser, VerifyResult } from './types';

export async function createStatelessSession(user: SessionUser, client: ClientInfo, terms: SessionTerms): Promise<IssuedSession> {
  const { expiresAt } = terms;
  const jti = randomId();
  const token = await signToken('stateless', { sub: user.id, name: user.name, role: user.role, jti }, expiresAt);
  const row = await getDb().session.create({
    data: { id: randomId(), tokenHash: hashSecretId(jti), userId: user.id, mode: 'stateless', ...client, ...terms },
    select: { id: true },
  });
  return { token, expiresAt, sessionId: row.id };
}

/** No database: the signature and the claims are the whole check of a read. */
export function verifyStatelessSession(token: VerifiedToken & { payload: StatelessPayload }): Session {
  return sessionFromClaims(token);
}

/** Before a write: the row must be alive (see confirmAgainstRow). A signed-out token can read, never act. */
export function confirmStatelessSession(session: Session, now = new Date()): Promise<VerifyResult> {
  return confirmAgainstRow(session, now);
}
