// The Session of the modes whose requests trust the token alone (06-stateless.ts, 09-hybrid.ts):
// read from the signed claims, and confirmed against the row before a write. Stateful builds its
// Session from the row it reads on every request, so it does without this file.
import type { SessionRow } from './04-store';
import type { Session } from './05-session';

/** Who and until when, from the signed claims; the rest only the row knows. */
export function sessionFromClaims(token: Session['token'], tokenHash: string): Session {
  const { sub: id, name, role, iat, exp } = token.payload as { sub: string; name: string; role: string; iat: number; exp: number };
  const times = { issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000), lastActiveAt: null };
  return { mode: token.mode as Session['mode'], user: { id, name, role, email: null }, tokenHash, token, ...times, deviceId: null, authenticatedAt: null };
}

/** The session confirmed against its row: the row's user is current, and what only the row knows is filled in. */
export function confirmedSession(session: Session, row: SessionRow, expiresAt: Date): Session {
  const { id, name, role, email } = row.user;
  return { ...session, user: { id, name, role, email }, expiresAt, deviceId: row.deviceId, authenticatedAt: row.authenticatedAt };
}
