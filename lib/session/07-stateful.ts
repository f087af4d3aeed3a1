import 'server-only';
// 07 · Stateful mode: the token carries only a random session id; the row is the truth. Every
// request verifies the token, then reads the row with its user (one query), so revoking the row
// ends the session on that browser's very next request.
// Next: 08-hybrid-keys.ts, or 10-sessions.ts.
import { z } from 'zod';
import { getSettings, hashSecretId, randomId, RANDOM_ID, seconds, settings } from './01-settings';
import { signToken, type TokenRules } from './02-tokens';
import { hs256Key } from './hs256-key';
import { getDb } from '@/lib/db/client';
import { insertSessionRow, liveRow, readSessionRow } from './04-store';
import type { Mode } from './05-session';

const getStatefulSettings = settings({
  // "Last active" is written at most this often: a write per request would double the database
  // load for a time nobody needs to the second.
  SESSION_ACTIVITY_INTERVAL_SECONDS: seconds(60, 0, 3600),
});

const rules: TokenRules = {
  typ: 'session-stateful+jwt',
  alg: 'HS256',
  claims: z.object({ mode: z.literal('stateful'), sid: RANDOM_ID }),
  verificationKey: hs256Key,
};

const intervalMs = () => getStatefulSettings().SESSION_ACTIVITY_INTERVAL_SECONDS * 1000;

export const stateful = {
  token: rules,
  settings: getStatefulSettings,
  lifetimeSeconds: () => getSettings().SESSION_ABSOLUTE_TTL_SECONDS,

  async create(user, client, terms) {
    const sid = randomId();
    const sessionId = await insertSessionRow({ tokenHash: hashSecretId(sid), mode: 'stateful', user, client, terms });
    const token = await signToken(rules, { mode: 'stateful', sid }, await hs256Key(), { issuedAt: new Date(), expiresAt: terms.expiresAt });
    return { token, expiresAt: terms.expiresAt, sessionId };
  },

  // The one query of a stateful request; idle and absolute limits are checked here, on the server.
  async check(token, now) {
    const tokenHash = hashSecretId(token.payload.sid as string);
    const live = liveRow(await readSessionRow(tokenHash), 'stateful', now, true);
    if (!live.ok) return live;
    const { row } = live;
    const { id, name, role, email } = row.user;
    // One object, built straight from the row: this runs on every stateful request.
    const session = {
      mode: 'stateful' as const,
      user: { id, name, role, email },
      tokenHash,
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      lastActiveAt: row.lastActiveAt,
      token,
      deviceId: row.deviceId,
      authenticatedAt: row.authenticatedAt,
    };
    // Decided from the row just read, so a request that records nothing costs no statement.
    return { ok: true, session, activityDue: +now - +row.lastActiveAt >= intervalMs() };
  },

  // At most once per interval, and never on a signed-out row: the condition keeps concurrent requests from writing twice.
  recordActivity: (tokenHash, now) =>
    getDb().session.updateMany({ where: { tokenHash, revokedAt: null, lastActiveAt: { lt: new Date(+now - intervalMs()) } }, data: { lastActiveAt: now } }),

  // The check read the row moments ago, in this request.
  authorizeWrite: async (session) => ({ ok: true, session }),

  // Listed while signed in: a signed-out stateful token is refused at once, so nothing of it is left to show.
  listed: (now) => ({ revokedAt: null, expiresAt: { gt: now }, lastActiveAt: { gt: new Date(+now - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000) } }),
} satisfies Mode;
