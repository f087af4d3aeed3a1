import 'server-only';
// The data-access layer: the authoritative session check for pages, actions and route handlers.
// It runs once per request (React cache), measures itself for the comparison page, and is the
// only place that turns a bad or revoked session into a redirect.
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/dal-headers';
import { countQueries } from '@/lib/db/query-counter';
import { recordHousekeepingQueries, recordSessionCheck } from '@/lib/metrics';
import { REQUEST_ID_HEADER, fileServerTiming, formatServerTiming } from '@/lib/server-timing';
import { safeNextPath } from '@/lib/safe-redirect';
import { isActivityDue, touchStatefulSession, verifySessionToken, type Session, type VerifyResult } from '@/lib/session';
import { getSessionCookieName, readSessionCookie } from '@/lib/session/cookie';

export type SessionCheck = VerifyResult & { present: boolean; micros: number; queries: number };


/**
 * The request's token. Read through cookies() so that a render that follows a server action sees
 * the cookie the action just set; the raw header is consulted only to refuse duplicate cookies.
 */
async function readRequestToken() {
  const value = (await cookies()).get(getSessionCookieName())?.value;
  if (!value) return { present: false, token: undefined };
  const raw = readSessionCookie((await headers()).get('cookie'));
  return { present: true, token: raw.present && raw.token === undefined ? undefined : value };
}

/** Memoised per request and per token, so however many components ask, each token is checked once. */
const checkToken = cache(async (present: boolean, token: string | undefined): Promise<SessionCheck> => {
  const started = performance.now();
  const { result, queries, dbMicros } = await countQueries(() => verifySessionToken(token));
  const micros = Math.round((performance.now() - started) * 1000);
  if (result.ok) {
    const { mode, tokenHash, lastActiveAt } = result.session;
    recordSessionCheck(mode, { micros, queries });
    fileServerTiming((await headers()).get(REQUEST_ID_HEADER), formatServerTiming([
      { name: 'session', micros, desc: mode },
      { name: 'db', micros: dbMicros, desc: `${queries} ${queries === 1 ? 'query' : 'queries'}` },
    ]));
    if (lastActiveAt && isActivityDue(lastActiveAt)) {
      after(async () => {
        try {
          const { queries: writes } = await countQueries(() => touchStatefulSession(tokenHash));
          recordHousekeepingQueries(mode, writes);
        } catch (error) {
          console.error('touch session failed', error);
        }
      });
    }
  } else if (present) {
    console.warn(`session rejected: ${result.reason}`);
  }
  return { ...result, present, micros, queries };
});

/** Verifies this request's session. Never throws for bad input. */
export async function getSessionCheck(): Promise<SessionCheck> {
  const { present, token } = await readRequestToken();
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
  const next = safeNextPath((await headers()).get(PATHNAME_HEADER));
  const params = new URLSearchParams({ next });
  if (!check.present) redirect(`/login?${params}`);
  params.set('reason', noticeFor(check));
  redirect(`/session/clear?${params}`);
}

export type Notice = 'signed-out-elsewhere' | 'password-changed' | 'expired' | 'idle' | 'invalid' | 'logged-out';

function noticeFor(check: VerifyResult & { ok: false }): Notice {
  if (check.reason === 'revoked') {
    if (check.revokedReason === 'password-changed') return 'password-changed';
    if (check.revokedReason === 'logout') return 'logged-out';
    return 'signed-out-elsewhere';
  }
  if (check.reason === 'expired') return 'expired';
  if (check.reason === 'idle') return 'idle';
  return 'invalid';
}
