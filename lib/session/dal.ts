import 'server-only';
// The data-access layer: the authoritative session check for pages, actions and route handlers.
// It runs once per request (React cache), schedules the stateful "last active" write the check
// asked for, and is the only place that turns a bad or revoked session into a redirect.
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { touchStatefulSession, verifySessionToken, type Session, type VerifyResult } from '@/lib/session';
import { getSessionCookieName, readSessionCookie, readSessionCookieFromHeader } from '@/lib/session/cookie';
import { PATHNAME_HEADER } from '@/lib/session/dal-headers';
import { observeActivityWrite, observeCheck } from '@/lib/session/observer';
import { noticeForRejection } from '@/lib/session/reasons';
import { logRejection } from '@/lib/session/rejection-log';
import { loginPath, safeNextPath } from '@/lib/session/safe-redirect';

export type SessionCheck = VerifyResult & { present: boolean };

/**
 * The request's token, read exactly as proxy.ts reads it. cookies() supplies the parsed value, so
 * a render that follows a server action sees the cookie the action just set.
 */
async function readRequestToken() {
  return readSessionCookie((await headers()).get('cookie'), (await cookies()).get(getSessionCookieName())?.value);
}

/** Memoised per request and per token, so however many components ask, each token is checked once. */
const checkToken = cache(async (present: boolean, token: string | undefined): Promise<SessionCheck> => {
  const result = await observeCheck(() => verifySessionToken(token), { headers: await headers() });
  if (result.ok && result.activityDue) {
    const { mode, tokenHash } = result.session;
    after(() => observeActivityWrite(mode, () => touchStatefulSession(tokenHash)).catch((error) => console.error('touch session failed', error)));
  } else if (!result.ok && present) {
    logRejection(result.reason);
  }
  return { ...result, present };
});

/** Verifies this request's session. Never throws for bad input. */
export async function getSessionCheck(): Promise<SessionCheck> {
  const { present, token } = await readRequestToken();
  return checkToken(present, token);
}

/**
 * The same for a route handler, which no server action precedes: the token is read from the raw
 * header, without building Next's cookie objects (they cost more than the check).
 */
export async function getRouteSessionCheck(): Promise<SessionCheck> {
  const { present, token } = readSessionCookieFromHeader((await headers()).get('cookie'));
  return checkToken(present, token);
}

/** The current session, or null for an anonymous visitor. For pages that work either way. */
export async function getOptionalSession(): Promise<Session | null> {
  const check = await getSessionCheck();
  return check.ok ? check.session : null;
}

/** The current session; anyone else is sent to log in (and a dead cookie is cleared on the way). */
export async function verifySession(): Promise<Session> {
  const check = await getSessionCheck();
  if (check.ok) return check.session;
  const next = await getRequestPath();
  if (!check.present) redirect(loginPath({ next }));
  redirect(`/session/clear?${new URLSearchParams({ next, reason: noticeForRejection(check) })}`);
}

/** The path this request was made for (a server action posts to its page's path). */
export async function getRequestPath() {
  return safeNextPath((await headers()).get(PATHNAME_HEADER));
}
