import 'server-only';
// The data-access layer: the authoritative session check for pages, actions and route handlers.
// It runs once per request (React cache), measures itself for the comparison page, and is the
// only place that turns a bad or revoked session into a redirect.
import { cache } from 'react';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/dal-headers';
import { countQueries } from '@/lib/db/query-counter';
import { recordSessionCheck } from '@/lib/metrics';
import { safeNextPath } from '@/lib/safe-redirect';
import { touchStatefulSession, verifySessionToken, type Session, type VerifyResult } from '@/lib/session';
import { readSessionCookie } from '@/lib/session/cookie';

export type SessionCheck = VerifyResult & { present: boolean; micros: number; queries: number };


/** Verifies this request's session once, however many components ask. Never throws for bad input. */
export const getSessionCheck = cache(async (): Promise<SessionCheck> => {
  const cookie = readSessionCookie((await headers()).get('cookie'));
  const started = performance.now();
  const { result, queries } = await countQueries(() => verifySessionToken(cookie.token));
  const micros = Math.round((performance.now() - started) * 1000);
  if (result.ok) {
    recordSessionCheck(result.session.mode, { micros, queries });
    if (result.session.mode === 'stateful') {
      const { tokenHash } = result.session;
      after(() => touchStatefulSession(tokenHash).catch((error) => console.error('touch session failed', error)));
    }
  } else if (cookie.present) {
    console.warn(`session rejected: ${result.reason}`);
  }
  return { ...result, present: cookie.present, micros, queries };
});

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
