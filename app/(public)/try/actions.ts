'use server';
// The stolen-cookie experiment's two buttons: let the lab copy this browser's session cookies, and
// sign that session out (the only way to end a copy of it), coming back here after the next login.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { sessionCookieNames, stealSession } from '@/lib/lab/stolen-cookie';
import { sessionCookieName } from '@/lib/session/03-cookies';
import { endSession, loginPath, requireSession } from '@/lib/session/11-dal';

const STOLEN_COOKIE_PATH = '/try#stolen-cookie';

export async function stealThisSession(): Promise<void> {
  const session = await requireSession();
  const jar = await cookies();
  const names = sessionCookieNames(session.mode);
  const copied = names.flatMap((name) => {
    const value = jar.get(name)?.value;
    return value ? [`${name}=${value}`] : [];
  });
  const token = jar.get(sessionCookieName())?.value;
  if (token) await stealSession(session, { token, cookieHeader: copied.join('; ') });
  redirect(STOLEN_COOKIE_PATH);
}

export async function signOutStolenSession(): Promise<void> {
  await endSession('logout');
  redirect(loginPath({ next: STOLEN_COOKIE_PATH, reason: 'logged-out' }));
}
