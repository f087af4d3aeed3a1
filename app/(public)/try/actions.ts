'use server';
// The stolen-cookie experiment's two buttons: let the lab copy this browser's session cookies, and
// sign that session out (the only way to end a copy of it), coming back here after the next login.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { formOf } from '@/lib/http/action-input';
import { sessionCookieNames, stealSession } from '@/lib/lab/stolen-cookie';
import { sessionCookieName } from '@/lib/session/03-cookies';
import { refreshCookieName } from '@/lib/session/09-hybrid';
import { endSession, loginPath, requireWriteSession } from '@/lib/session/11-dal';

const STOLEN_COOKIE_PATH = '/try#stolen-cookie';

export async function stealThisSession(input: FormData): Promise<void> {
  if (!(await formOf(input))) return;
  // Only a live session: a copy of one already ended would show a sign-out from before the theft.
  const session = await requireWriteSession();
  const jar = await cookies();
  const names = sessionCookieNames(session.mode);
  const copied = names.flatMap((name) => {
    const value = jar.get(name)?.value;
    return value ? [`${name}=${value}`] : [];
  });
  const token = jar.get(sessionCookieName())?.value;
  const refreshToken = session.mode === 'hybrid' ? (jar.get(refreshCookieName())?.value ?? null) : null;
  if (token) await stealSession(session, { token, cookieHeader: copied.join('; '), refreshToken });
  redirect(STOLEN_COOKIE_PATH);
}

export async function signOutStolenSession(input: FormData): Promise<void> {
  if (!(await formOf(input))) return;
  await endSession('logout');
  redirect(loginPath({ next: STOLEN_COOKIE_PATH, reason: 'logged-out' }));
}
