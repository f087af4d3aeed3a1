import 'server-only';
// 11 · The data-access layer: the session of the current request, for pages, server actions and
// route handlers. It checks once per request (React cache), schedules the "last active" write a
// stateful check asked for, and is the one place a refused session is handled: its browser goes to
// /session/clear (app/session/clear/route.ts), which clears what is still refused and shows why.
// Next: 12-actions.ts.
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { getSettings, shared } from './01-settings';
import { forwardedEntry, PATHNAME_HEADER, readCookie, sessionCookieName } from './03-cookies';
import type { ClientInfo } from './04-store';
import { clearsCookies, noticeForRejection, type Refusal, type Session, type VerifyResult } from './05-session';
import { authorizeWrite, checkSession, clearSessionCookies, recordActivity } from './10-sessions';
import type { SessionMode } from './modes';

export type SessionCheck = VerifyResult & { present: boolean };

/**
 * What watches the session work of each request (a tracer, a metrics collector): each hook must
 * call run() once and return what it returned.
 */
export type SessionTracer = {
  check?: (run: () => Promise<VerifyResult>, request: { headers: Headers }) => Promise<VerifyResult>;
  /** The "last active" write a check asked for, after the response. */
  activity?: (mode: SessionMode, run: () => Promise<unknown>) => Promise<unknown>;
};

const tracing = shared('session-tracer', () => ({ tracer: {} as SessionTracer }));

/** Registers what watches the session work (this repository's lab measures it so). */
export function traceSessions(tracer: SessionTracer) {
  tracing.tracer = tracer;
}

// Anyone can send a bad cookie with every request: the first refusal of a minute is logged at
// once, the rest of that minute as one line when it ends.
const rejections = shared('rejection-log', () => ({ windowEndsAtMs: 0, counts: new Map<string, number>() }));

function flushRejections() {
  const total = [...rejections.counts.values()].reduce((sum, count) => sum + count, 0);
  if (total)
    console.warn(`session rejected: ${total} more in the last 60 s (${[...rejections.counts].map(([reason, count]) => `${reason} ${count}`).join(', ')})`);
  rejections.counts.clear();
}

export function logRejection(reason: string, nowMs = Date.now()) {
  if (nowMs >= rejections.windowEndsAtMs) {
    flushRejections();
    rejections.windowEndsAtMs = nowMs + 60_000;
    console.warn(`session rejected: ${reason}`);
    return;
  }
  if (rejections.counts.size === 0) setTimeout(flushRejections, rejections.windowEndsAtMs - nowMs).unref();
  rejections.counts.set(reason, (rejections.counts.get(reason) ?? 0) + 1);
}

/** Memoised per request and per token, so however many components ask, each token is checked once. */
const checkToken = cache(async (present: boolean, token: string | undefined): Promise<SessionCheck> => {
  const { tracer } = tracing;
  const run = () => checkSession(token);
  const result = tracer.check ? await tracer.check(run, { headers: await headers() }) : await run();
  if (result.ok && result.activityDue) {
    const { session } = result;
    const write = () => recordActivity(session);
    after(() => (tracer.activity ? tracer.activity(session.mode, write) : write()).catch((error) => console.error('recording activity failed', error)));
  } else if (!result.ok && present) {
    logRejection(result.reason);
  }
  return { ...result, present };
});

/**
 * This request's session check, for pages and actions. cookies() supplies the cookie a server
 * action set earlier in this request, so the page it renders afterwards sees it.
 */
async function checkRequest(): Promise<SessionCheck> {
  const { present, value } = readCookie((await headers()).get('cookie'), sessionCookieName(), (await cookies()).get(sessionCookieName())?.value);
  return checkToken(present, value);
}

/** The same for a route handler, which no action precedes: read from the raw header alone (Next's cookie objects cost more than the check). */
export async function checkRouteRequest(): Promise<SessionCheck> {
  const { present, value } = readCookie((await headers()).get('cookie'), sessionCookieName());
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
 * The session a server action may act with ("stateless for reads, the row for writes"), or null
 * for a visitor with no session cookie. A session that may no longer act ends right here, so a tab
 * left open after its session ended lands on the login page instead of breaking.
 */
export async function getWriteSession(): Promise<Session | null> {
  const check = await checkRequest();
  if (!check.present) return null;
  if (!check.ok) return refuse(check, 'action');
  const authorized = await authorizeWrite(check.session, (await headers()).get('cookie'));
  return authorized.ok ? authorized.session : refuse({ ...authorized, present: true }, 'action');
}

/** Like getWriteSession, and a visitor with no session is sent to log in too. */
export async function requireWriteSession(): Promise<Session> {
  return (await getWriteSession()) ?? refuse({ ok: false, reason: 'missing', present: false }, 'action');
}

/**
 * The one way a refused session leaves: to log in, with the notice. A page cannot clear a cookie,
 * so it goes through /session/clear; a server action clears it here, unless the refusal says this
 * browser was given a newer session (which a response to an older request must not clear).
 */
async function refuse(check: Refusal & { present: boolean }, from: 'page' | 'action'): Promise<never> {
  const next = await getRequestPath();
  if (!check.present) redirect(loginPath({ next }));
  const reason = noticeForRejection(check);
  if (from === 'page') redirect(`/session/clear?${new URLSearchParams({ next, reason })}`);
  if (clearsCookies(check)) clearSessionCookies(await cookies());
  redirect(loginPath({ next, reason }));
}

/** The path this request was made for (a server action posts to its page's path). */
export async function getRequestPath() {
  return safeNextPath((await headers()).get(PATHNAME_HEADER));
}

/**
 * Where to send someone after login. Only same-origin relative paths survive; everything else
 * (absolute URLs, //host, backslash tricks, javascript:, control characters) becomes the default.
 */
export function safeNextPath(value: unknown, fallback = '/dashboard'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f\u007f]/.test(value)) return fallback;
  const base = 'http://same-origin.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin !== base || path.startsWith('//') ? fallback : path;
}

/** The login page's path, with where to go next and why. Relative: the browser stays on its own origin. */
export function loginPath({ next, reason }: { next?: string; reason?: string }) {
  const query = new URLSearchParams({ ...(next ? { next } : {}), ...(reason ? { reason } : {}) }).toString();
  return query ? `/login?${query}` : '/login';
}

/** Who is calling, for the devices page: the user agent, and the address TRUST_PROXY's proxies vouch for ("unknown" without them). */
export async function getClientInfo(): Promise<ClientInfo> {
  const h = await headers();
  const ip = forwardedEntry(h.get('x-forwarded-for'), getSettings().TRUST_PROXY) ?? 'unknown';
  return { userAgent: (h.get('user-agent') ?? '').slice(0, 512), ip: ip.slice(0, 64) };
}
