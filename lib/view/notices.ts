// The words of every notice the session code can give (lib/session/05-session.ts names them), and
// of every reason a session row was revoked, as the login and devices pages show them.
import { isNotice, type Notice, type RevokeReason } from '@/lib/session/05-session';

const NOTICE_TEXT: Record<Notice, string> = {
  'signed-out-elsewhere': 'You were signed out from another device.',
  'password-changed': 'Your password was changed on another device. Please log in again.',
  replaced: 'This session was replaced by a newer one in this browser. Please log in again.',
  expired: 'Your session expired. Please log in again.',
  idle: 'Your session ended after a period of inactivity. Please log in again.',
  invalid: 'Your session was not valid. Please log in again.',
  'logged-out': 'You have been logged out.',
  'refresh-reused': 'This session was signed out because its refresh token was used twice, a sign it may have been copied. Please log in again.',
  'refresh-required': 'That change needs this browser’s refresh token, and the request did not carry it. Please log in again.',
};

/** The notice for ?reason=; unknown values show nothing, so the parameter cannot inject text. */
export const noticeText = (reason: unknown) => (isNotice(reason) ? NOTICE_TEXT[reason] : undefined);

const REVOCATION_LABELS: Record<RevokeReason, string> = {
  logout: 'Logged out',
  'signed-out-by-other-device': 'Signed out from another device',
  'signed-out-everywhere': 'Signed out everywhere',
  'password-changed': 'Signed out by a password change',
  'mode-switch': 'Replaced when this browser switched mode',
  'password-changed-here': 'Replaced when the password was changed in this browser',
  'replaced-by-login': 'Replaced by a new login in this browser',
  'refresh-reused': 'Signed out: refresh token reused',
};

/** Why a row was revoked, for the devices page; a reason this table does not know (revoked by hand, say) is still readable. */
export const revocationLabel = (reason: string | null) =>
  reason && Object.hasOwn(REVOCATION_LABELS, reason) ? REVOCATION_LABELS[reason as RevokeReason] : 'Signed out';
