import 'server-only';
// 11 · The data-access layer: the session of the current request, for pages, server actions and
// route handlers, and what actions do to it (start one at login, end it at logout or everywhere).
// It checks once per request (React cache), schedules the "last active" write a stateful check
// asked for, and is the one place a refused session is handled: its browser goes to
// /session/clear (app/session/clear/route.ts), which clears what is still refused and shows why.
// Next: 12-proxy.ts (hybrid's, optional for the other modes).
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { shared } from './01-settings';
import { forwardedEntry, PATHNAME_HEADER, readCookie, sessionCookieName } from './03-cookies';
import { revokeAllSessions, revokeSessionByToken, type ClientInfo, type SessionUser } from './04-store';
import { clearsCookies, noticeForRejection, type Refusal, type RevokeReason, type Session, type VerifyResult } from './05-session';
import { authorizeWrite, checkSession, clearSessionCookies, createSession, recordActivity, setSessionCookies } from './10-sessions';
import type { SessionMode } from './modes';

export type SessionCheck = VerifyResult & { present: boolean };

/**
 * @public
 * A hook for what watches the session work of each request (a tracer, a metrics collector, a log
 * of refused cookies): each must call run() once and return what it returned.
 */
export type SessionTracer = {
  check?: (run: () => Promise<VerifyResult>, request: { headers: Headers; present: boolean }) => Promise<VerifyResult>;
  /** The "last active" write a check asked for, after the response. */
  activity?: (mode: SessionMode, run: () => Promise<unknown>) => Promise<unknown>;
};

const tracing = shared('session-tracer', () => ({ tracer: {} as SessionTracer }));

/**
 * Registers the tracer (one at a time). A hook for an app's own observability beside the core.
 * @public
 */
export function traceSessions(tracer: SessionTracer) {
  tracing.tracer = tracer;
}

/** Memoised per request and per token, so however many components ask, each token is checked once. */
const checkToken = cache(async (present: boolean, token: string | undefined): Promise<SessionCheck> => {
  const { check = (run) => run(), activity = (_mode, run) => run() } = tracing.tracer;
  const result = await check(() => checkSession(token), { headers: await headers(), present });
  if (result.ok && result.activityDue) {
    after(() => activity(result.session.mode, () => recordActivity(result.session)).catch((error) => console.error('recording activity failed', error)));
  }
  return { ...result, present };
});

/**
 * This request's session check. In pages and actions cookies() supplies the cookie a server action
 * set earlier in this request, so the page it renders afterwards sees it; a route handler, which no
 * action precedes, reads the raw header alone (Next's cookie objects cost more than the check).
 */
export async function checkRequest(from: 'page' | 'route' = 'page'): Promise<SessionCheck> {
  const parsed = from === 'page' ? (await cookies()).get(sessionCookieName())?.value : undefined;
  const { present, value } = readCookie((await headers()).get('cookie'), sessionCookieName(), parsed);
  return checkToken(present, value);
}

/** The current session, or null: for pages that work either way. */
export async function getSession(): Promise<Session | null> {
  const check = await checkRequest();
  return check.ok ? check.session : null;
}

/** The current session; anyone else is sent to log in. */
export async function requireSession(): Promise<Session> {
  const check = await checkRequest();
  return check.ok ? check.session : refuse(check, 'page');
}

/**
 * The session a server action may act with ("stateless for reads, the row for writes"). A session
 * that may no longer act ends right here, so a tab left open after its session ended lands on the
 * login page instead of breaking; a visitor with no session is sent to log in too.
 */
export async function requireWriteSession(): Promise<Session> {
  const check = await checkRequest();
  const authorized = check.ok ? await authorizeWrite(check.session, (await headers()).get('cookie')) : check;
  return authorized.ok ? authorized.session : refuse({ ...authorized, present: check.present }, 'action');
}

/**
 * The one way a refused session leaves: to log in, with the notice. A page cannot clear a cookie,
 * so it goes through /session/clear; a server action clears it here, unless the refusal says this
 * browser was given a newer session (which a response to an older request must not clear).
 */
async function refuse(check: Refusal & { present: boolean }, from: 'page' | 'action'): Promise<never> {
  const next = safeNextPath((await headers()).get(PATHNAME_HEADER));
  if (!check.present) redirect(loginPath({ next }));
  const reason = noticeForRejection(check);
  if (from === 'page') redirect(`/session/clear?${new URLSearchParams({ next, reason })}`);
  if (clearsCookies(check)) clearSessionCookies(await cookies());
  redirect(loginPath({ next, reason }));
}

/**
 * Where to send someone after login. Only same-origin relative paths survive; everything else
 * (absolute URLs, //host, backslash tricks, javascript:, control characters) becomes the default.
 */
export function safeNextPath(value: unknown, fallback = '/dashboard'): string {
  if (typeof value !== 'string' || value.length > 512 || !/^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(value)) return fallback;
  const url = URL.parse(value, 'http://same-origin.invalid');
  const path = url && `${url.pathname}${url.search}${url.hash}`;
  return url?.origin === 'http://same-origin.invalid' && !path!.startsWith('//') ? path! : fallback;
}

/** The login page's path, with where to go next and why. Relative: the browser stays on its own origin. */
export function loginPath({ next, reason }: { next?: string; reason?: string }) {
  const query = new URLSearchParams({ ...(next && { next }), ...(reason && { reason }) }).toString();
  return query ? `/login?${query}` : '/login';
}

/** Who is calling, for the devices page: the user agent, and the address TRUST_PROXY's proxies vouch for ("unknown" without them). */
export async function getClientInfo(): Promise<ClientInfo> {
  const h = await headers();
  return { userAgent: (h.get('user-agent') ?? '').slice(0, 512), ip: (forwardedEntry(h.get('x-forwarded-for')) ?? 'unknown').slice(0, 64) };
}

// What server actions do to this browser's session. Each writes or clears the cookies. (A mode
// switch and a password change continue a session as a new one: reissue.ts, beside the core.)

/** Login: always a brand-new session id (no fixation); a session this browser already had is revoked. */
export async function startSession(user: SessionUser, mode: SessionMode) {
  const previous = await getSession();
  if (previous) await revokeSessionByToken(previous.tokenHash, 'replaced-by-login');
  setSessionCookies(await cookies(), await createSession(user, mode, await getClientInfo()));
}

/** Logout: this browser's session ends, and its cookies go. */
export async function endSession(reason: RevokeReason = 'logout') {
  const current = await getSession();
  if (current) await revokeSessionByToken(current.tokenHash, reason);
  clearSessionCookies(await cookies());
}

/** "Sign out everywhere": every session of the user ends, this browser's included. */
export async function endAllSessions(current: Session, reason: RevokeReason = 'signed-out-everywhere') {
  await revokeAllSessions(current.user.id, reason);
  clearSessionCookies(await cookies());
}
