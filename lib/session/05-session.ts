import 'server-only';
// 05 · What a session is: the Session the app sees, the shape every mode fills in (Mode: each
// mode's file owns its decisions), and every reason a session is refused or ends, each with the
// notice its browser is shown, defined once. The login page reads the notice from ?reason=;
// unknown values show nothing, so the parameter cannot inject text.
// Next: the modes (06-stateless.ts, 07-stateful.ts, 08-hybrid-keys.ts and 09-hybrid.ts), then 10-sessions.ts.
import type { TokenRejection, TokenRules, VerifiedToken } from './02-tokens';
import type { ClientInfo, RowRefusal, SessionRow, SessionTerms, SessionUser } from './04-store';
import type { SessionMode } from './modes';

/** What the rest of the app learns about the current request's session. */
export type Session = {
  mode: SessionMode;
  user: SessionUser;
  /** Hash of the token's secret id: the key of its row, which is "this device" on the devices page. */
  tokenHash: string;
  issuedAt: Date;
  /**
   * When the credential shown stops working: the token's exp (a stateless or a hybrid access
   * token), the row's end (stateful, or hybrid confirmed for a write with its refresh token).
   */
  expiresAt: Date;
  /** Stateful only: when the row last recorded activity. */
  lastActiveAt: Date | null;
  token: VerifiedToken;
  /** Known from the row only: the browser's login this session continues, and when a password was last typed for it. */
  deviceId: string | null;
  authenticatedAt: Date | null;
};

export type RejectionReason = TokenRejection | RowRefusal['reason'] | 'mode-not-allowed' | 'refresh-required';

export type Refusal = { ok: false; reason: RejectionReason; revokedReason?: string | null };

/** `activityDue`: the check read a "last active" time old enough that the caller should record this request. */
export type VerifyResult = { ok: true; session: Session; activityDue?: boolean } | Refusal;

/** `expiresAt`: when the session ends (the cookies' expiry). `cookies`: a mode's own cookies beside the session's (by base name). */
export type IssuedSession = { token: string; expiresAt: Date; sessionId: string; cookies?: Record<string, string> };

export type Renewal = { ok: true; issued: IssuedSession } | Refusal;

export type Mode = {
  token: TokenRules;
  /** Base names of the cookies this mode sets beside the session cookie (cleared when another mode takes over). */
  cookies: readonly string[];
  lifetimeSeconds(): number;
  create(user: SessionUser, client: ClientInfo, terms: SessionTerms): Promise<IssuedSession>;
  /** A request whose token verified: who it is, with no query (stateless, hybrid) or one (stateful). */
  check(token: VerifiedToken, now: Date): VerifyResult | Promise<VerifyResult>;
  /** Before a write: whether the session may act. `cookieHeader` holds what else the browser proves. */
  authorizeWrite(session: Session, cookieHeader: string | null, now: Date): Promise<VerifyResult>;
  /** Whether the devices page lists this row: a person would call it signed in, or its token still reads. */
  listed(row: Omit<SessionRow, 'user'>, now: Date): boolean;
  /** Validated at start-up with the rest (checkSettings). */
  settings(): unknown;
  /**
   * For the proxy (13-proxy.ts): when this request's token should be renewed before the page sees
   * it, the renewal to run (hybrid: exchange the refresh cookie); otherwise null.
   */
  renewal?(
    request: { pathname: string; cookieHeader: string | null },
    checked: { ok: true; token: VerifiedToken } | { ok: false } | null,
  ): (() => Promise<Renewal>) | null;
  /** The write a check asked for with `activityDue`, after the response. */
  recordActivity?(tokenHash: string, now: Date): Promise<unknown>;
  /** What this mode deletes in the periodic clean-up, beside the rows every mode's sessions leave. */
  purge?(now: Date): Promise<unknown>;
};

/** A read of the modes that trust the token alone: who and until when, from the signed claims. */
export function sessionFromClaims(token: VerifiedToken, tokenHash: string): Session {
  const { sub, name, role, iat, exp } = token.payload as { sub: string; name: string; role: string; iat: number; exp: number };
  const user = { id: sub, name, role, email: null };
  return {
    mode: token.mode as SessionMode,
    user,
    tokenHash,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
    lastActiveAt: null,
    token,
    deviceId: null,
    authenticatedAt: null,
  };
}

/** A session confirmed against its row: the row's user is current, and what only the row knows is filled in. */
export function confirmedSession(session: Session, row: SessionRow, expiresAt: Date): Session {
  const { id, name, role, email } = row.user;
  return { ...session, user: { id, name, role, email }, expiresAt, deviceId: row.deviceId, authenticatedAt: row.authenticatedAt };
}

const NOTICES = {
  'signed-out-elsewhere': 'You were signed out from another device.',
  'password-changed': 'Your password was changed on another device. Please log in again.',
  replaced: 'This session was replaced by a newer one in this browser. Please log in again.',
  expired: 'Your session expired. Please log in again.',
  idle: 'Your session ended after a period of inactivity. Please log in again.',
  invalid: 'Your session was not valid. Please log in again.',
  'logged-out': 'You have been logged out.',
  'refresh-reused': 'This session was signed out because its refresh token was used twice, a sign it may have been copied. Please log in again.',
  'refresh-required': 'That change needs this browser’s refresh token, and the request did not carry it. Please log in again.',
} as const;

export type Notice = keyof typeof NOTICES;

export function isNotice(reason: unknown): reason is Notice {
  return typeof reason === 'string' && Object.hasOwn(NOTICES, reason);
}

export function noticeText(reason: unknown): string | undefined {
  return isNotice(reason) ? NOTICES[reason] : undefined;
}

/** Why a session row was revoked: its label on the devices page, and what its browser is told. */
const REVOKE_REASONS = {
  logout: { ended: 'Logged out', notice: 'logged-out' },
  'signed-out-by-other-device': { ended: 'Signed out from another device', notice: 'signed-out-elsewhere' },
  'signed-out-everywhere': { ended: 'Signed out everywhere', notice: 'signed-out-elsewhere' },
  'password-changed': { ended: 'Signed out by a password change', notice: 'password-changed' },
  'mode-switch': { ended: 'Replaced when this browser switched mode', notice: 'replaced' },
  'password-changed-here': { ended: 'Replaced when the password was changed in this browser', notice: 'replaced' },
  'replaced-by-login': { ended: 'Replaced by a new login in this browser', notice: 'replaced' },
  'refresh-reused': { ended: 'Signed out: refresh token reused', notice: 'refresh-reused' },
} as const satisfies Record<string, { ended: string; notice: Notice }>;

export type RevokeReason = keyof typeof REVOKE_REASONS;

/** Rows revoked for a reason this table does not know (by hand, say) still get a readable label. */
export function describeRevocation(reason: string | null): { ended: string; notice: Notice } {
  return reason && Object.hasOwn(REVOKE_REASONS, reason) ? REVOKE_REASONS[reason as RevokeReason] : { ended: 'Signed out', notice: 'signed-out-elsewhere' };
}

/** The notice for each way a token or its row can be refused. */
const REJECTION_NOTICES: Record<Exclude<RejectionReason, 'revoked'>, Notice> = {
  missing: 'invalid',
  malformed: 'invalid',
  header: 'invalid',
  'mode-not-allowed': 'invalid',
  'unknown-key': 'invalid',
  signature: 'invalid',
  claims: 'invalid',
  expired: 'expired',
  'unknown-session': 'invalid',
  idle: 'idle',
  'user-disabled': 'invalid',
  'password-changed': 'password-changed',
  'refresh-required': 'refresh-required',
};

export function noticeForRejection(refusal: { reason: RejectionReason; revokedReason?: string | null }): Notice {
  return refusal.reason === 'revoked' ? describeRevocation(refusal.revokedReason ?? null).notice : REJECTION_NOTICES[refusal.reason];
}

/**
 * Whether a refused browser should lose its cookies. Not when the refusal says this browser was
 * given a newer session (a mode switch, a password change, a new login): a request still in flight
 * with the old cookie must not clear the new one, which may have arrived first.
 */
export function clearsCookies(refusal: { reason: RejectionReason; revokedReason?: string | null }) {
  return noticeForRejection(refusal) !== 'replaced';
}
