import 'server-only';
// Stateless mode: every claim the app needs travels in the signed token, and verifying a request
// reads nothing but the token. Login still writes a Session row so the devices page can list the
// device, but no request ever reads it back, which is exactly why "signing out" such a device
// cannot stop its token before exp.
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import { hashTokenId } from './hash';
import { randomId, signToken, type StatelessPayload, type VerifiedToken } from './token';
import type { ClientInfo, IssuedSession, Session, SessionUser } from './types';

export async function createStatelessSession(user: SessionUser, client: ClientInfo, ttlSeconds = getEnv().STATELESS_TOKEN_TTL_SECONDS): Promise<IssuedSession> {
  const jti = randomId();
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await signToken('stateless', { sub: user.id, name: user.name, role: user.role, jti }, expiresAt);
  const row = await getDb().session.create({
    data: { id: randomId(), tokenHash: hashTokenId(jti), userId: user.id, mode: 'stateless', ...client, expiresAt },
    select: { id: true },
  });
  return { token, expiresAt, rowId: row.id };
}

/** No database: the signature and the claims are the whole check. */
export function verifyStatelessSession(token: VerifiedToken & { payload: StatelessPayload }): Session {
  const { payload } = token;
  return {
    mode: 'stateless',
    user: { id: payload.sub, name: payload.name, role: payload.role, email: null },
    tokenHash: hashTokenId(payload.jti),
    issuedAt: new Date(payload.iat * 1000),
    expiresAt: new Date(payload.exp * 1000),
    lastActiveAt: null,
    token,
  };
}
