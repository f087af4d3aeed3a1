// Every reason a session ends or is refused, defined once: what the devices page calls a row
// that ended that way, and which notice the login page shows the browser that was turned away.
// The login page reads the notice from ?reason=; unknown values show nothing, so the parameter
// cannot inject text.
import type { RejectionReason } from '@/lib/session/types';

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

/** Shown when a visitor with no session at all is sent to log in before seeing a page. */
export const LOGIN_REQUIRED_NOTICE = 'Please log in to see that page.';

export function noticeText(reason: unknown): string | undefined {
  return isNotice(reason) ? NOTICES[reason] : undefined;
}

export function isNotice(reason: unknown): reason is Notice {
  return typeof reason === 'string' && Object.hasOwn(NOTICES, reason);
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

/** Rows written before this table existed, or by hand, still get a readable label. */
export function describeRevocation(reason: string | null): { ended: string; notice: Notice } {
  return reason && Object.hasOwn(REVOKE_REASONS, reason) ? REVOKE_REASONS[reason as RevokeReason] : { ended: 'Signed out', notice: 'signed-out-elsewhere' };
}

/** The notice for each way the session check can refuse a token or its row. */
const REJECTION_NOTICES = {
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
} as const satisfies Record<Exclude<RejectionReason, 'revoked'>, Notice>;

export function noticeForRejection(rejection: { reason: RejectionReason; revokedReason?: string | null }): Notice {
  if (rejection.reason === 'revoked') return describeRevocation(rejection.revokedReason ?? null).notice;
  return REJECTION_NOTICES[rejection.reason];
}

/**
 * Whether a refused browser should lose its cookies. Not when the refusal says this browser was
 * given a newer session (a mode switch, a password change, a new login): a request still in flight
 * with the old cookie must not clear the new one, which may have arrived first. Such a browser is
 * sent through /session/clear, which looks at the cookie it holds by then.
 */
export function clearsCookies(rejection: { reason: RejectionReason; revokedReason?: string | null }) {
  return noticeForRejection(rejection) !== 'replaced';
}
