import 'server-only';
// 09 · Hybrid mode: what Supabase, Clerk, Auth0 and Lucia's guidance actually ship.
// - A short access token (HYBRID_ACCESS_TTL_SECONDS, 5 minutes), signed with Ed25519 and checked
//   like a stateless one: no query. It is this app's session cookie and nothing else: another
//   service gets a token of its own audience by a token exchange (service-token.ts).
// - An opaque refresh token in a cookie of its own, stored only as a hash. Exchanging it for a new
//   access token reads the row, so a signed-out device keeps reading for at most one access-token
//   lifetime, and the database is read once per refresh, not per request. The proxy exchanges it
//   when the access token is due (12-proxy.ts).
// - A write needs both: the access token says who, the refresh token proves this browser holds the
//   session's family. A copied access token alone can read until it expires, never act.
//
// A refresh token is `<id>.<mac>`: 128 random bits and an HMAC of them under a server key, so a
// forged or mistyped one is refused before any query. Its row is keyed by a hash of the id.
//
// Rotation with reuse detection (RFC 9700 §4.14.2, as Supabase documents it):
// - Every refresh rotates. Each token's successor is an HMAC of its id under another server key,
//   not a fresh random value, so a token's line of descendants is known in advance, and its
//   standing follows from which of their rows exist:
//     live         its successor's row does not exist yet;
//     predecessor  its successor's row exists, but the successor has never been exchanged;
//     reused       its successor has been exchanged too (an older token, or a copy).
// - Inserting the successor's row is the whole rotation: one statement, so there is no moment at
//   which a crash leaves the family half rotated, and the primary key lets exactly one of two
//   concurrent refreshes insert it.
// - The predecessor gets the same successor back, with no time limit: a rotation whose response
//   never arrived (a closed laptop lid, two tabs at once) costs nothing.
// - A reused token signs the session out: someone holds a copy. A copy presented before its owner
//   used the successor is indistinguishable from a lost response; it is caught once either side
//   falls two rotations behind.
// - A refresh never extends the session's absolute end, and a session idle for longer than
//   SESSION_IDLE_TIMEOUT_SECONDS (no refresh) cannot refresh.
//
// Here `sid` is the row's public id, not a secret as in stateful mode: an access token is a
// credential because of its signature, and only the refresh token is a bearer secret.
// Next: 10-sessions.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { getDb } from '@/lib/db/client';
import { deriveKey, getSettings, hashSecretId, randomId, RANDOM_ID } from './01-settings';
import { signToken, type TokenRules } from './02-tokens';
import { cookieName, forwardedEntry, readCookie, sessionCookieName } from './03-cookies';
import { insertSessionRow, liveRow, readSessionRow, type SessionUser } from './04-store';
import type { IssuedSession, Refusal } from './05-session';
import { confirmedSession, sessionFromClaims } from './claims-session';
import { getHybridSettings, getSigningKey, getVerificationKey, purgeRetiredKeys } from './08-hybrid-keys';
import type { RenewingMode } from './12-proxy';

const rules: TokenRules = {
  typ: 'session-hybrid+jwt',
  alg: 'EdDSA',
  claims: z.object({
    mode: z.literal('hybrid'),
    sub: z.string().min(1).max(64),
    name: z.string().max(200),
    role: z.string().max(32),
    sid: RANDOM_ID,
    jti: RANDOM_ID,
  }),
  // The kid only picks one of the server's own published keys; an unknown kid is refused.
  verificationKey: (header) => getVerificationKey(header.kid),
};

export const refreshCookieName = () => cookieName('refresh');

/** The access token: the session's user and id, until the sooner of one access lifetime and the session's end. */
async function signAccessToken(user: SessionUser, sessionId: string, sessionEnd: Date, now: Date) {
  const expiresAt = new Date(Math.min(now.getTime() + getHybridSettings().HYBRID_ACCESS_TTL_SECONDS * 1000, sessionEnd.getTime()));
  const { kid, privateKey } = await getSigningKey();
  const claims = { mode: 'hybrid', sub: user.id, name: user.name, role: user.role, sid: sessionId, jti: randomId() };
  return signToken(rules, claims, privateKey, { issuedAt: now, expiresAt }, kid);
}

const ID_BYTES = 16;
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;
const hmac16 = (purpose: string, value: string) => createHmac('sha256', deriveKey(purpose)).update(value).digest().subarray(0, ID_BYTES);

/** The cookie value for a refresh token id. */
const refreshTokenOf = (id: string) => `${id}.${hmac16('refresh-token-mac', id).toString('base64url')}`;

/** The id inside a refresh token this server issued, or null: a forged one costs no query. */
function parseRefreshToken(token: string | undefined): string | null {
  const match = REFRESH_TOKEN.exec(token ?? '');
  if (!match) return null;
  const given = Buffer.from(match[2], 'base64url');
  return given.length === ID_BYTES && timingSafeEqual(given, hmac16('refresh-token-mac', match[1])) ? match[1] : null;
}

/** The id of the refresh token that replaces `id`: the same for every caller who presents it. */
const successorOf = (id: string) => hmac16('refresh-token-successor', id).toString('base64url');

/** Whose token `id` is, and where it stands in its family (see the top of this file): one query. */
async function standingOf(id: string) {
  const successor = successorOf(id);
  const [own, next, afterNext] = [id, successor, successorOf(successor)].map(hashSecretId);
  const rows = await getDb().refreshToken.findMany({ where: { hash: { in: [own, next, afterNext] } }, select: { hash: true, sessionId: true } });
  const found = new Map(rows.map((row) => [row.hash, row.sessionId]));
  const sessionId = found.get(own);
  if (!sessionId) return null;
  const standing = found.has(afterNext) ? 'reused' : found.has(next) ? 'predecessor' : 'live';
  return { sessionId, standing, successor };
}

const REUSED = { ok: false, reason: 'revoked', revokedReason: 'refresh-reused' } as const;

/** Reuse detected: the whole login is signed out, on every device that holds one of its tokens. */
async function revokeFamily(sessionId: string, now: Date) {
  await getDb().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: 'refresh-reused' } });
}

export const hybrid = {
  token: rules,
  cookies: ['refresh'],
  settings: getHybridSettings,
  lifetimeSeconds: () => getSettings().SESSION_ABSOLUTE_TTL_SECONDS,

  async create(user, client, terms) {
    const now = new Date();
    const sessionId = randomId();
    const refreshId = randomId();
    await insertSessionRow({ id: sessionId, tokenHash: hashSecretId(sessionId), mode: 'hybrid', user, client, terms });
    await getDb().refreshToken.create({ data: { hash: hashSecretId(refreshId), sessionId, createdAt: now } });
    const token = await signAccessToken(user, sessionId, terms.expiresAt, now);
    return { token, expiresAt: terms.expiresAt, sessionId, cookies: { refresh: refreshTokenOf(refreshId) } };
  },

  check: (token) => ({ ok: true, session: sessionFromClaims(token, hashSecretId(token.payload.sid as string)) }),

  // The row must be alive, and this browser must hold the session's refresh token (the live one,
  // or its predecessor); with that proof the session lasts until the row's end.
  async authorizeWrite(session, cookieHeader, now) {
    const row = await readSessionRow(session.tokenHash);
    const live = liveRow(row?.user.id === session.user.id ? row : null, 'hybrid', now, true);
    if (!live.ok) return live;
    const id = parseRefreshToken(readCookie(cookieHeader, refreshCookieName()).value);
    const family = id ? await standingOf(id) : null;
    if (!family || family.sessionId !== session.token.payload.sid) return { ok: false, reason: 'refresh-required' };
    if (family.standing === 'reused') {
      await revokeFamily(family.sessionId, now);
      return REUSED;
    }
    return { ok: true, session: confirmedSession(session, live.row, live.row.expiresAt) };
  },

  purge: (now) => purgeRetiredKeys(now),

  // Whatever is wrong with the access token (missing, expired, due, signed by a key no longer
  // published), a refresh cookie is the credential, and the exchange checks it against its row.
  // Not async: on every request that renews nothing (nearly all), no promise is made.
  renew(request, checked) {
    const cookieHeader = request.headers.get('cookie');
    const refresh = readCookie(cookieHeader, refreshCookieName());
    if (!refresh.present || request.nextUrl.pathname === REFRESH_PATH) return null;
    if (checked?.ok && (checked.token.mode !== 'hybrid' || !isAccessTokenDue(checked.token.payload.exp))) return null;
    // A prefetch never renews: its response is the likeliest to be dropped. Without a valid token it
    // gets a 204 with no content, which the router does not cache, and the navigation renews.
    if (isPrefetch(request.headers)) return checked?.ok ? null : 'no-content';
    return refreshSession(refresh.value).then((refreshed) => {
      if (!refreshed.ok) return refreshed;
      const { token, cookies } = refreshed.issued;
      const cookieHeaderNow = withCookies(cookieHeader, { [sessionCookieName()]: token, [refreshCookieName()]: cookies!.refresh });
      return { ok: true as const, issued: refreshed.issued, cookieHeader: cookieHeaderNow };
    });
  },

  // Signed out, its access token still reads for one lifetime; a reused family stays listed until
  // purged, so the owner sees that a copy was caught.
  listed: (now) => ({
    expiresAt: { gt: now },
    lastActiveAt: { gt: new Date(+now - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000) },
    OR: [
      { revokedAt: null },
      { revokedAt: { gt: new Date(+now - getHybridSettings().HYBRID_ACCESS_TTL_SECONDS * 1000) } },
      { revokedReason: 'refresh-reused' },
    ],
  }),
} satisfies RenewingMode & { purge(now: Date): Promise<unknown> };

/**
 * A prefetch: Next's router (next.config.js keeps its headers visible to the proxy) or the
 * browser's own (<link rel=prefetch>, speculation rules).
 */
function isPrefetch(headers: Headers) {
  return headers.has('next-router-prefetch') || headers.get('purpose') === 'prefetch' || (headers.get('sec-purpose') ?? '').includes('prefetch');
}

/** The Cookie header with these values in place of the old ones: what the page behind the proxy reads. */
function withCookies(cookieHeader: string | null, values: Record<string, string>) {
  const kept = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !Object.hasOwn(values, part.slice(0, part.indexOf('='))));
  return [...kept, ...Object.entries(values).map(([name, value]) => `${name}=${value}`)].join('; ');
}

/** Whether an access token should be renewed now: it has expired, or will within the leeway. */
function isAccessTokenDue(expSeconds: number, now = new Date()) {
  return expSeconds * 1000 - now.getTime() <= getHybridSettings().HYBRID_REFRESH_LEEWAY_SECONDS * 1000;
}

export type RefreshResult = { ok: true; issued: IssuedSession; rotated: boolean } | Refusal;

/** The explicit refresh (app/api/session/refresh/route.ts), which rotates on its own: the proxy leaves it alone. */
const REFRESH_PATH = '/api/session/refresh';

/**
 * Exchanges a refresh token for a new access token and the next refresh token. `rotated` is false
 * when the presented token was the predecessor, or another request rotated it a moment earlier:
 * the answer is the same successor either way.
 */
export async function refreshSession(refreshToken: string | undefined, now = new Date()): Promise<RefreshResult> {
  const id = parseRefreshToken(refreshToken);
  if (!id) return { ok: false, reason: 'malformed' };
  const family = await standingOf(id);
  if (!family) return { ok: false, reason: 'unknown-session' };
  const { sessionId, successor } = family;
  const live = liveRow(await readSessionRow(hashSecretId(sessionId)), 'hybrid', now, true);
  if (!live.ok) return live;
  if (family.standing === 'reused') {
    await revokeFamily(sessionId, now);
    return REUSED;
  }
  const rotated = family.standing === 'live' && (await insertSuccessor(successor, sessionId, now));
  // The row was alive when read above; a sign-out since then must not be answered with a new token.
  const touched = await getDb().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastActiveAt: now } });
  if (touched.count === 0) {
    const after = liveRow(await readSessionRow(hashSecretId(sessionId)), 'hybrid', now, true);
    return after.ok ? { ok: false, reason: 'unknown-session' } : after;
  }
  const { user, expiresAt } = live.row;
  const token = await signAccessToken(user, sessionId, expiresAt, now);
  return { ok: true, rotated, issued: { token, expiresAt, sessionId, cookies: { refresh: refreshTokenOf(successor) } } };
}

/** The rotation: false when another refresh of the same token inserted the successor first. */
async function insertSuccessor(successor: string, sessionId: string, now: Date) {
  try {
    await getDb().refreshToken.create({ data: { hash: hashSecretId(successor), sessionId, createdAt: now } });
    return true;
  } catch (error) {
    // Prisma's unique-constraint violation.
    if ((error as { code?: unknown } | null)?.code === 'P2002') return false;
    throw error;
  }
}

/**
 * Whether a request's Origin is the host the browser addressed: the refresh endpoint, and any route
 * handler that changes state, needs it (browsers send Origin with every POST). Behind a proxy that rewrites Host (nginx's
 * default) the browser's host arrives in X-Forwarded-Host, believed only with TRUST_PROXY.
 */
export function isSameOrigin(request: Request) {
  const host = forwardedEntry(request.headers.get('x-forwarded-host')) || request.headers.get('host');
  const origin = URL.parse(request.headers.get('origin') ?? '');
  return !!host && !!origin && ['http:', 'https:'].includes(origin.protocol) && origin.host === host;
}
