'use server';
// Server actions for accounts and sessions: sign up, log in, log out, switch mode.
// Each validates its FormData with zod and returns typed state; redirect() stays outside try/catch.
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { z } from 'zod';
import { getModeSettings, saveModePreference } from '@/lib/demo/mode-preference';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { allowedModes } from '@/lib/session/10-sessions';
import { checkRequest, endSession, getClientInfo, requireWriteSession, safeNextPath, startSession } from '@/lib/session/11-dal';
import { switchSessionMode } from '@/lib/session/reissue';
import { purgeIfDue } from '@/lib/session/housekeeping';
import { authenticateUser, createUser } from '@/lib/session/accounts';
import {
  beforeLoginAttempt,
  beforeSignup,
  purgeExpiredCounters,
  refundLoginFailure,
  withPasswordWork,
  type LoginSource,
} from '@/lib/session/hardening/throttle';
import { deviceFor, rememberTrustedDevice } from '@/lib/session/hardening/trusted-device';
import { answerThrottled } from '@/lib/http/throttled';
import { formOf, NOT_A_FORM } from '@/lib/http/action-input';

const email = z.string().trim().toLowerCase().max(254, 'Email is too long').pipe(z.email('Enter a valid email address'));

const LoginSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password').max(256, 'Password is too long'),
  next: z.string().max(512).optional().catch(undefined),
});

const SignupSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Name must be at most 100 characters'),
  email,
  password: z.string().min(8, 'Use at least 8 characters').max(256, 'Password is too long'),
  next: z.string().max(512).optional().catch(undefined),
});

export type FormState = {
  message?: string;
  errors?: Partial<Record<'name' | 'email' | 'password', string[]>>;
  values?: { name?: string; email?: string };
};

const INVALID_CREDENTIALS = 'Invalid email or password.';

/** What the user typed, minus the password, so a failed submit keeps the form filled in. */
function keptValues(formData: FormData) {
  const text = (key: string) => {
    const value = formData.get(key);
    return typeof value === 'string' ? value.slice(0, 254) : '';
  };
  return { name: text('name'), email: text('email') };
}

function fields(formData: FormData, keys: string[]) {
  return Object.fromEntries(keys.map((key) => [key, formData.get(key) ?? undefined]));
}

/** The IP to throttle by, or null when unknown (plain `next start`): those share one bucket. */
async function clientIp() {
  const { ip } = await getClientInfo();
  return ip === 'unknown' ? null : ip;
}

/** After a login's response, dead rows (and the throttle's expired counters) are deleted at most every ten minutes per process. */
function cleanUpAfterResponse() {
  after(() => purgeIfDue(new Date(), [purgeExpiredCounters]).catch((error) => console.error('session clean-up failed', error)));
}

export async function login(_prev: FormState | undefined, input: FormData): Promise<FormState> {
  const formData = await formOf(input);
  if (!formData) return { message: NOT_A_FORM };
  const parsed = LoginSchema.safeParse(fields(formData, ['email', 'password', 'next']));
  if (!parsed.success) return { errors: z.flattenError(parsed.error).fieldErrors, values: keptValues(formData) };
  const { email } = parsed.data;
  const source: LoginSource = { ip: await clientIp(), ...(await deviceFor(email)) };
  const blocked = await beforeLoginAttempt(email, source);
  if (blocked) return { errors: { password: [await answerThrottled(blocked)] }, values: keptValues(formData) };
  const checked = await withPasswordWork(() => authenticateUser(email, parsed.data.password), source);
  if (!checked.ok) {
    await refundLoginFailure(email, source);
    return { errors: { password: [await answerThrottled(checked.throttled)] }, values: keptValues(formData) };
  }
  const user = checked.value;
  if (!user) return { message: INVALID_CREDENTIALS, values: keptValues(formData) };
  await refundLoginFailure(email, source);
  await rememberTrustedDevice(email);
  await startSession(user, (await getModeSettings()).mode);
  cleanUpAfterResponse();
  redirect(safeNextPath(parsed.data.next));
}

export async function signup(_prev: FormState | undefined, input: FormData): Promise<FormState> {
  const formData = await formOf(input);
  if (!formData) return { message: NOT_A_FORM };
  const parsed = SignupSchema.safeParse(fields(formData, ['name', 'email', 'password', 'next']));
  if (!parsed.success) return { errors: z.flattenError(parsed.error).fieldErrors, values: keptValues(formData) };
  const blocked = await beforeSignup(await clientIp());
  if (blocked) return { errors: { email: [await answerThrottled(blocked)] }, values: keptValues(formData) };
  const created = await withPasswordWork(() => createUser(parsed.data));
  if (!created.ok) return { errors: { email: [await answerThrottled(created.throttled)] }, values: keptValues(formData) };
  const user = created.value;
  if (!user) return { errors: { email: ['An account with this email already exists'] }, values: keptValues(formData) };
  await rememberTrustedDevice(user.email ?? parsed.data.email);
  await startSession(user, (await getModeSettings()).mode);
  cleanUpAfterResponse();
  redirect(safeNextPath(parsed.data.next));
}

export async function logout(): Promise<void> {
  await endSession('logout');
  redirect('/login?reason=logged-out');
}

/** `endsAt` (ISO): the end of a switched session that was cut to the end of the one it continues; `from`: that one's mode. */
export type ModeState = { message?: string; endsAt?: string; from?: SessionMode; to?: SessionMode };

const ModeSchema = z.object({ mode: z.enum(SESSION_MODES) });

/**
 * Switches the browser's mode. Logged in, the current session is re-issued in the new mode (new
 * id, still logged in, ending no later than before); either way the choice is saved for the next
 * login. A switch is a write, so a signed-out stateless token cannot launder itself through it.
 */
export async function switchMode(_prev: ModeState | undefined, input: FormData): Promise<ModeState> {
  const formData = await formOf(input);
  if (!formData) return { message: NOT_A_FORM };
  const parsed = ModeSchema.safeParse(fields(formData, ['mode']));
  if (!parsed.success) return { message: 'Unknown session mode.' };
  const { mode } = parsed.data;
  if (!allowedModes().includes(mode)) return { message: `The ${mode} mode is disabled on this server.` };
  // A browser that holds a session cookie switches it, which is a write: a refused one ends here.
  const current = (await checkRequest()).present ? await requireWriteSession() : null;
  const switched = current && current.mode !== mode ? await switchSessionMode(current, mode) : null;
  await saveModePreference(mode);
  if (!switched?.shortened) return { message: `Switched to ${mode} mode.` };
  return { message: `Switched to ${mode} mode.`, endsAt: switched.expiresAt.toISOString(), from: current!.mode, to: mode };
}
