'use server';
// Server actions of the signed-in area: sign devices out, change the password. Every one starts
// from requireWriteSession(), which authorises the session for a write (a signed-out stateless
// token may still read, never act), and acts only on the caller's own sessions.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/lib/db/client';
import { RANDOM_ID } from '@/lib/session/01-settings';
import { revokeOtherSessions, revokeSession } from '@/lib/session/04-store';
import type { Session } from '@/lib/session/05-session';
import { endAllSessions, getClientInfo, requireWriteSession } from '@/lib/session/11-dal';
import { changePassword as changeUserPassword, continueSession } from '@/lib/session/reissue';
import { confirmRecentSignIn } from '@/lib/session/hardening/fresh-sign-in';
import { beforePasswordCheck, refundPasswordFailure, withPasswordWork } from '@/lib/session/hardening/throttle';
import { rememberTrustedDevice } from '@/lib/session/hardening/trusted-device';
import type { SessionMode } from '@/lib/session/modes';
import { answerThrottled } from '@/lib/http/throttled';
import { formOf, NOT_A_FORM } from '@/lib/http/action-input';

export type ActionState = {
  ok?: boolean;
  message?: string;
  errors?: Partial<Record<string, string[]>>;
  /** The action needs the password typed again (the sign-in is not recent); `target` names the form. */
  needsPassword?: boolean;
  target?: string;
};

const GENERIC_FAILURE = 'That device could not be signed out. It may already be signed out.';

/** What signing a device out does, in each mode. */
const SIGNED_OUT_MESSAGES: Record<SessionMode, string> = {
  stateful: 'Signed out. That device’s next request will be refused.',
  stateless:
    'Signed out. That device’s stateless token can still read until it expires (no request of it reaches the database), but it can no longer change anything.',
  hybrid:
    'Signed out. That device’s refresh token is refused from now on; its access token can still read until it expires (at most one access-token lifetime), but it can no longer change anything.',
};

const ConfirmSchema = z.object({ password: z.string().max(256).optional().catch(undefined) });

/** Null when the session may do something sensitive now; otherwise the state that asks for the password. */
async function refuseUnlessRecent(session: Session, formData: FormData, target: string): Promise<ActionState | null> {
  const { password } = ConfirmSchema.parse({ password: formData.get('password') || undefined });
  const recent = await confirmRecentSignIn(session, password);
  if (recent.ok) return null;
  const message = recent.needsPassword ? recent.message : await answerThrottled(recent);
  return { ok: false, needsPassword: true, target, errors: { password: [message] } };
}

export async function signOutDevice(_prev: ActionState | undefined, input: FormData): Promise<ActionState> {
  const formData = await formOf(input);
  if (!formData) return { ok: false, message: NOT_A_FORM };
  const session = await requireWriteSession();
  const parsed = z.object({ sessionId: RANDOM_ID }).safeParse({ sessionId: formData.get('sessionId') });
  if (!parsed.success) return { ok: false, message: GENERIC_FAILURE };
  const refused = await refuseUnlessRecent(session, formData, parsed.data.sessionId);
  if (refused) return refused;
  // The message says what signing out means for that device's mode.
  const target = await getDb().session.findFirst({ where: { id: parsed.data.sessionId, userId: session.user.id }, select: { mode: true } });
  if (!target || !(await revokeSession(session.user.id, parsed.data.sessionId, 'signed-out-by-other-device'))) return { ok: false, message: GENERIC_FAILURE };
  const mode = target.mode as SessionMode;
  revalidatePath('/devices');
  return {
    ok: true,
    message: SIGNED_OUT_MESSAGES[mode],
  };
}

export async function signOutOtherDevices(_prev: ActionState | undefined, input: FormData): Promise<ActionState> {
  const formData = await formOf(input);
  if (!formData) return { ok: false, message: NOT_A_FORM };
  const session = await requireWriteSession();
  const refused = await refuseUnlessRecent(session, formData, 'others');
  if (refused) return refused;
  const count = await revokeOtherSessions(session.user.id, session.tokenHash, 'signed-out-by-other-device');
  revalidatePath('/devices');
  return {
    ok: true,
    message: `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}. Stateless tokens among them can read until they expire, hybrid ones until their access token does.`,
  };
}

export async function signOutEverywhere(_prev: ActionState | undefined, input: FormData): Promise<ActionState> {
  const formData = await formOf(input);
  if (!formData) return { ok: false, message: NOT_A_FORM };
  const session = await requireWriteSession();
  const refused = await refuseUnlessRecent(session, formData, 'everywhere');
  if (refused) return refused;
  await endAllSessions(session, 'signed-out-everywhere');
  redirect('/login?reason=logged-out');
}

const PasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password').max(256),
    newPassword: z.string().min(8, 'Use at least 8 characters').max(256, 'Password is too long'),
    confirmPassword: z.string().max(256),
  })
  .refine((data) => data.newPassword === data.confirmPassword, { path: ['confirmPassword'], message: 'The two passwords differ' });

export async function changePassword(_prev: ActionState | undefined, input: FormData): Promise<ActionState> {
  const formData = await formOf(input);
  if (!formData) return { ok: false, message: NOT_A_FORM };
  const session = await requireWriteSession();
  const parsed = PasswordSchema.safeParse({
    currentPassword: formData.get('currentPassword') ?? undefined,
    newPassword: formData.get('newPassword') ?? undefined,
    confirmPassword: formData.get('confirmPassword') ?? undefined,
  });
  if (!parsed.success) return { ok: false, errors: z.flattenError(parsed.error).fieldErrors };
  // Typing the current password is the fresh sign-in this action needs; it is throttled per user.
  const blocked = await beforePasswordCheck(session.user.id);
  if (blocked) return { ok: false, errors: { currentPassword: [await answerThrottled(blocked)] } };
  const passwords = { current: parsed.data.currentPassword, next: parsed.data.newPassword };
  const attempt = await withPasswordWork(async () => changeUserPassword(session, passwords, await getClientInfo()));
  if (!attempt.ok) {
    await refundPasswordFailure(session.user.id);
    return { ok: false, errors: { currentPassword: [await answerThrottled(attempt.throttled)] } };
  }
  const changed = attempt.value;
  if (!changed) return { ok: false, errors: { currentPassword: ['Your current password is not correct'] } };
  await refundPasswordFailure(session.user.id);
  // This browser stays signed in with a fresh session, and stays a trusted device for the new password.
  await continueSession(changed.issued);
  if (session.user.email) await rememberTrustedDevice(session.user.email);
  const count = changed.signedOut;
  revalidatePath('/devices');
  return {
    ok: true,
    message: `Password changed. ${count} other ${count === 1 ? 'session was' : 'sessions were'} signed out: stateful ones at once; stateless tokens can still read until they expire, but can no longer change anything.`,
  };
}
