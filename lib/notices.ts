// Messages shown on the login page after a session ended, keyed by the ?reason= parameter.
// Unknown reasons show nothing, so the parameter cannot inject text.
export const NOTICES: Record<string, string> = {
  'signed-out-elsewhere': 'You were signed out from another device.',
  'password-changed': 'Your password was changed on another device. Please log in again.',
  expired: 'Your session expired. Please log in again.',
  idle: 'Your session ended after a period of inactivity. Please log in again.',
  invalid: 'Your session was not valid. Please log in again.',
  'logged-out': 'You have been logged out.',
};

export function noticeText(reason: unknown): string | undefined {
  return typeof reason === 'string' && Object.hasOwn(NOTICES, reason) ? NOTICES[reason] : undefined;
}
