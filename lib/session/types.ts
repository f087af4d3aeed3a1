// Types shared by the session module and its modes.
//
// Which id is which (one name each, everywhere):
// - secret id: the random 128-bit `sid` (stateful) or `jti` (stateless) inside the token. Never
//   stored and never shown; whoever holds it holds the session.
// - tokenHash: SHA-256 of the secret id, the Session row's lookup key. A leaked table cannot be
//   replayed as cookies. Hybrid is the exception: its `sid` is the row's public id (an access
//   token is a credential by its Ed25519 signature, which no table holds), and its bearer secret is
//   the refresh token, stored only as a hash in RefreshToken.
// - sessionId: the row's public id (Session.id), posted by the devices page's "Sign out" forms.
//   Knowing it grants nothing; revoking by it is scoped to the owner's user id.
// - deviceId: shared by a browser's login and every re-issue of it (mode switch, password change),
//   so the devices page groups them as one browser.
import type { SessionMode } from '@/lib/session/modes';
import type { VerifiedToken } from './token';

export type SessionUser = { id: string; name: string; role: string; email: string | null };

export type ClientInfo = { userAgent: string; ip: string };

/** What the rest of the app learns about the current request's session. */
export type Session = {
  mode: SessionMode;
  user: SessionUser;
  /** SHA-256 of the token's secret id (sid, or a stateless token's jti): which device row is "this device". */
  tokenHash: string;
  issuedAt: Date;
  /**
   * When the credential shown stops working: the token's exp (a stateless or a hybrid access
   * token), the row's end (stateful, or hybrid confirmed for a write with its refresh token).
   */
  expiresAt: Date;
  /** Stateful only: when the row last recorded activity. Stateless requests record nothing. */
  lastActiveAt: Date | null;
  token: VerifiedToken;
  /** The browser's login that this session continues (mode switches keep it). Stateless reads do not know it. */
  deviceId: string | null;
  /** When the user last typed a password for it. Known from the row: stateless reads do not know it. */
  authenticatedAt: Date | null;
};

/** What a new Session row records besides the user and the client. */
export type SessionTerms = { expiresAt: Date; deviceId: string; authenticatedAt: Date };

/**
 * `expiresAt`: when the session ends (the cookies' expiry). `refreshToken`: hybrid only, the opaque
 * token that renews its short access token (`token`).
 */
export type IssuedSession = { token: string; expiresAt: Date; sessionId: string; refreshToken?: string };

export type RejectionReason =
  | 'missing'
  | 'malformed'
  | 'header'
  | 'mode-not-allowed'
  /** A hybrid token whose kid names no published key. */
  | 'unknown-key'
  | 'signature'
  | 'expired'
  | 'claims'
  | 'unknown-session'
  | 'revoked'
  | 'idle'
  | 'user-disabled'
  /** The session was created before the user's last password change. */
  | 'password-changed'
  /** A hybrid write without this session's refresh token: the access token alone cannot act. */
  | 'refresh-required';

/** `activityDue`: the check read a "last active" time old enough that the caller should record this request. */
export type VerifyResult = { ok: true; session: Session; activityDue?: boolean } | { ok: false; reason: RejectionReason; revokedReason?: string | null };
