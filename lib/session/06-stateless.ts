import 'server-only';
// 06 · Stateless mode: every claim the app needs travels in one signed token, and a request reads
// nothing but the token. Login still writes a row, so the devices page can list the browser, and
// the row is read back only before a write: a signed-out stateless token keeps reading until its
// exp (nothing can stop that without a lookup), but it can never act again.
// Next: 07-stateful.ts, or 10-sessions.ts.
import { z } from 'zod';
import { hashSecretId, randomId, RANDOM_ID, seconds, settings } from './01-settings';
import { signToken, type TokenRules } from './02-tokens';
import { hs256Key } from './hs256-key';
import { insertSessionRow, liveRow, readSessionRow } from './04-store';
import type { Mode } from './05-session';
import { confirmedSession, sessionFromClaims } from './claims-session';

// STATELESS_TOKEN_TTL_SECONDS: how long a signed-out stateless device keeps reading (its token cannot be refreshed or revoked).
const getStatelessSettings = settings({ STATELESS_TOKEN_TTL_SECONDS: seconds(15 * 60, 5, 24 * 3600) });

const claims = z.object({ mode: z.literal('stateless'), sub: z.string().min(1).max(64), name: z.string().max(200), role: z.string().max(32), jti: RANDOM_ID });
const rules: TokenRules = { typ: 'session-stateless+jwt', alg: 'HS256', claims, verificationKey: hs256Key };

export const stateless = {
  token: rules,
  settings: getStatelessSettings,
  // The token is the session: its lifetime is the session's.
  lifetimeSeconds: () => getStatelessSettings().STATELESS_TOKEN_TTL_SECONDS,

  async create(user, client, terms) {
    const jti = randomId();
    const payload = { mode: 'stateless', sub: user.id, name: user.name, role: user.role, jti };
    const token = await signToken(rules, payload, await hs256Key(), { issuedAt: new Date(), expiresAt: terms.expiresAt });
    const sessionId = await insertSessionRow({ tokenHash: hashSecretId(jti), mode: 'stateless', user, client, terms });
    return { token, expiresAt: terms.expiresAt, sessionId };
  },

  check: (token) => ({ ok: true, session: sessionFromClaims(token, hashSecretId(token.payload.jti as string)) }),

  async authorizeWrite(session, _cookieHeader, now) {
    const row = await readSessionRow(session.tokenHash);
    const live = liveRow(row?.user.id === session.user.id ? row : null, 'stateless', now, false);
    // Never past the token's own exp: nothing re-issued from it may outlive it.
    return live.ok ? { ok: true, session: confirmedSession(session, live.row, new Date(Math.min(+live.row.expiresAt, +session.expiresAt))) } : live;
  },

  // Listed until its token expires, signed out or not: it still reads, and the owner should see that.
  listed: (now) => ({ expiresAt: { gt: now } }),
} satisfies Mode;
