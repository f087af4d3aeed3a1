import 'server-only';
// 05 · What a session is: the Session the app sees, the shape every mode fills in (Mode: each
// mode's file owns its decisions), and every reason a session is refused or ends, each with the
// notice its browser is shown, defined once. The login page reads the notice from ?reason= and has
// the words for each; unknown values show nothing, so the parameter cannot inject text.
// Next: the modes (06-stateless.ts, 07-stateful.ts, 08-hybrid-keys.ts and 09-hybrid.ts), then 10-sessions.ts.
import type { TokenRejection, TokenRules, VerifiedToken } from './02-tokens';
import type { ClientInfo, getSessionRows, RowRefusal, SessionTerms, SessionUser } from './04-store';
import type { SessionMode } from './modes';

/**
 * What the rest of the app learns about the current request's session. `tokenHash`: the hash of
 * the token's secret id, the key of its row ("this device" on the devices page). `expiresAt`: when
 * the credential shown stops working (the token's exp; the row's end for stateful, and for hybrid
 * confirmed by its refresh token). `lastActiveAt`: stateful only. `deviceId` (the browser's login
 * this session continues) and `authenticatedAt` (when a password was last typed for it): known
 * from the row only.
 */
export type Session = {
  mode: SessionMode;
  user: SessionUser;
  tokenHash: string;
  issuedAt: Date;
  expiresAt: Date;
  lastActiveAt: Date | null;
  token: VerifiedToken;
  deviceId: string | null;
  authenticatedAt: Date | null;
};

type RejectionReason = TokenRejection | RowRefusal['reason'] | 'refresh-required';
export type Refusal = { ok: false; reason: RejectionReason; revokedReason?: string | null };
/** `activityDue`: the check read a "last active" time old enough that the caller should record this request. */
export type VerifyResult = { ok: true; session: Session; activityDue?: boolean } | Refusal;
/** `expiresAt`: when the session ends (the cookies' expiry). `cookies`: a mode's own cookies beside the session's (by base name). */
export type IssuedSession = { token: string; expiresAt: Date; sessionId: string; cookies?: Record<string, string> };

/**
 * What each mode's file decides. `cookies`: base names of the cookies it sets beside the session
 * cookie. `settings`: checked at start-up. `check`: a request whose token verified, with no query
 * (stateless, hybrid) or one (stateful). `authorizeWrite`: whether the session may act; the Cookie
 * header holds what else the browser proves. `listed`: which of its rows the devices page lists (a
 * person would call them signed in, or their token still reads), as a condition of the row query. `recordActivity`: the write a check
 * asked for with `activityDue`, after the response. A mode may have more (hybrid: `renew`, for the
 * proxy, 12-proxy.ts; `purge`, for the clean-up, housekeeping.ts).
 */
export type Mode = {
  token: TokenRules;
  cookies?: readonly string[];
  settings(): unknown;
  lifetimeSeconds(): number;
  create(user: SessionUser, client: ClientInfo, terms: SessionTerms): Promise<IssuedSession>;
  check(token: VerifiedToken, now: Date): VerifyResult | Promise<VerifyResult>;
  authorizeWrite(session: Session, cookieHeader: string | null, now: Date): Promise<VerifyResult>;
  listed(now: Date): Parameters<typeof getSessionRows>[1];
  recordActivity?(tokenHash: string, now: Date): Promise<unknown>;
};

/** Why a session row was revoked, and the notice its browser is shown (the login page's ?reason=; the words are the page's). */
const REVOKE_REASONS = {
  logout: 'logged-out',
  'signed-out-by-other-device': 'signed-out-elsewhere',
  'signed-out-everywhere': 'signed-out-elsewhere',
  'password-changed': 'password-changed',
  'mode-switch': 'replaced',
  'password-changed-here': 'replaced',
  'replaced-by-login': 'replaced',
  'refresh-reused': 'refresh-reused',
} as const;

export type RevokeReason = keyof typeof REVOKE_REASONS;

/** The notices of the other refusals; any reason without one of its own is 'invalid'. */
const NOTICES = ['expired', 'idle', 'password-changed', 'refresh-required', 'invalid'] as const;

export type Notice = (typeof REVOKE_REASONS)[RevokeReason] | (typeof NOTICES)[number];
export const isNotice = (reason: unknown): reason is Notice => [...NOTICES, ...Object.values(REVOKE_REASONS)].includes(reason as Notice);

/** The notice of a refusal: a revoked row's reason says it (one this table does not know, revoked by hand say, is "signed out elsewhere"). */
export function noticeForRejection({ reason, revokedReason }: Omit<Refusal, 'ok'>): Notice {
  if (reason === 'revoked') return Object.hasOwn(REVOKE_REASONS, revokedReason ?? '') ? REVOKE_REASONS[revokedReason as RevokeReason] : 'signed-out-elsewhere';
  return NOTICES.find((notice) => notice === reason) ?? 'invalid';
}

/**
 * Whether a refused browser should lose its cookies. Not when the refusal says this browser was
 * given a newer session (a mode switch, a password change, a new login): a request still in flight
 * with the old cookie must not clear the new one, which may have arrived first.
 */
export const clearsCookies = (refusal: Omit<Refusal, 'ok'>) => noticeForRejection(refusal) !== 'replaced';
