import 'server-only';
// Hardening · fresh sign-in (ASVS 5.0 V7.5.2): sensitive actions (signing devices out, signing out
// everywhere) need a sign-in within the last FRESH_SIGN_IN_SECONDS, or the password typed again,
// so a stolen cookie alone cannot sign the owner's own devices out. A re-issue (a mode switch)
// keeps the sign-in time, so it does not make a session fresh; typing the password confirms this
// one action only.
import { seconds, settings } from '../01-settings';
import type { Session } from '../05-session';
import { verifyUserPassword } from '../accounts';
import { beforePasswordCheck, refundPasswordFailure, withPasswordWork, type Throttled } from './throttle';

export const getFreshSignInSettings = settings({ FRESH_SIGN_IN_SECONDS: seconds(5 * 60, 5, 24 * 3600) });

export type RecentSignIn = { ok: true } | { ok: false; needsPassword: true; message: string } | ({ ok: false; needsPassword?: false } & Throttled);

export async function confirmRecentSignIn(session: Session, password: string | undefined): Promise<RecentSignIn> {
  const limitSeconds = getFreshSignInSettings().FRESH_SIGN_IN_SECONDS;
  if (Date.now() - (session.authenticatedAt?.getTime() ?? 0) <= limitSeconds * 1000) return { ok: true };
  const limit = limitSeconds % 60 === 0 ? `${limitSeconds / 60} ${limitSeconds === 60 ? 'minute' : 'minutes'}` : `${limitSeconds} seconds`;
  if (!password) return { ok: false, needsPassword: true, message: `You signed in more than ${limit} ago. Type your password to confirm it is you.` };
  const blocked = await beforePasswordCheck(session.user.id);
  if (blocked) return { ok: false, ...blocked };
  const checked = await withPasswordWork(() => verifyUserPassword(session.user.id, password));
  if (!checked.ok || checked.value) await refundPasswordFailure(session.user.id);
  if (!checked.ok) return { ok: false, ...checked.throttled };
  return checked.value ? { ok: true } : { ok: false, needsPassword: true, message: 'That password is not correct.' };
}
