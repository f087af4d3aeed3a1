import 'server-only';
// 10 · Sessions: the one API over the modes (modes.ts), which the data-access layer and the
// actions use. One verb per layer: the token is verified (02-tokens.ts), the session is checked
// (checkSession: the token, then the mode's own check), a write is authorised (authorizeWrite:
// the mode decides what proves the session may act).
// Next: 11-dal.ts.
import { z } from 'zod';
import { randomId, settings } from './01-settings';
import { verifyToken, type TokenRules, type TokenVerifier } from './02-tokens';
import { cookieAttributes, cookieName } from './03-cookies';
import { getSessionRows, type ClientInfo, type SessionUser } from './04-store';
import type { IssuedSession, Mode, Session, VerifyResult } from './05-session';
import { MODES, type SessionMode } from './modes';

const modes: Record<string, Mode> = MODES;

// SESSION_MODES: the modes this server accepts, comma-separated (tokens of any other are refused); every mode of modes.ts by default.
const names = Object.keys(MODES) as [SessionMode, ...SessionMode[]];
const listOf = (listed?: string) => (listed ? listed.split(',').map((name) => name.trim()) : names);
const getModeSettings = settings({ SESSION_MODES: z.preprocess(listOf, z.array(z.enum(names)).min(1)) });

/** The modes this server accepts, and their token rules: read once per change of the settings, not per request. */
export const allowedModes = () => getModeSettings().SESSION_MODES;
const rulesOf = new WeakMap<object, Record<string, TokenRules>>();
const tokenRules = (allowed = allowedModes()) =>
  rulesOf.get(allowed) ?? rulesOf.set(allowed, Object.fromEntries(allowed.map((m) => [m, modes[m].token]))).get(allowed)!;

/** Reads every setting once: call it at start-up, so a bad one stops the server before it serves a request. */
export const checkSettings = () => [allowedModes(), ...Object.values(modes).map((mode) => mode.settings())];

/**
 * A token's signature and claims, under the rules of the mode its typ names, if that mode is
 * allowed here (a token of any other is refused as 'header'). No database: the optimistic check of
 * a proxy (12-proxy.ts, or your own).
 * @public
 */
export const verifySessionToken = (token: string | undefined | null): ReturnType<TokenVerifier> => verifyToken(token, tokenRules());

/** The authoritative check of a request's token: its signature and claims, then the mode's own check (stateful: the row). */
export async function checkSession(token: string | undefined | null, now = new Date()): Promise<VerifyResult> {
  const verified = await verifySessionToken(token);
  return verified.ok ? modes[verified.token.mode].check(verified.token, now) : verified;
}

/** "Stateless for reads, the row for writes": before anything changes state, the mode decides whether this session may act. */
export const authorizeWrite = (session: Session, cookieHeader: string | null, now = new Date()) =>
  modes[session.mode].authorizeWrite(session, cookieHeader, now);

/** Records that this session was active (the write its check asked for, after the response). */
export const recordActivity = async (session: Session, now = new Date()) => modes[session.mode].recordActivity?.(session.tokenHash, now);

type CreateOptions = { notAfter?: Date; deviceId?: string; authenticatedAt?: Date };

/**
 * A new session for the user in `mode`. `notAfter`: it ends no later than this (a re-issued session
 * never outlives the credential it replaces). `deviceId`: the browser's login it continues (a new
 * login starts one). `authenticatedAt`: when the user last typed a password for it (a login: now).
 */
export function createSession(user: SessionUser, mode: SessionMode, client: ClientInfo, { notAfter, deviceId, authenticatedAt }: CreateOptions = {}) {
  if (!allowedModes().includes(mode)) throw new Error(`Session mode ${mode} is disabled by SESSION_MODES`);
  const expiresAt = new Date(Math.min(Date.now() + modes[mode].lifetimeSeconds() * 1000, notAfter?.getTime() ?? Infinity));
  return modes[mode].create(user, client, { expiresAt, deviceId: deviceId ?? randomId(), authenticatedAt: authenticatedAt ?? new Date() });
}

/**
 * A page of the user's sessions a person would call signed in, or whose token still reads (each
 * mode decides), and whether more follow. `deviceId`: one browser's only.
 */
export const listSessions = (userId: string, { now = new Date(), page = 0, deviceId }: { now?: Date; page?: number; deviceId?: string } = {}) =>
  getSessionRows(userId, { deviceId, OR: Object.entries(modes).map(([mode, { listed }]) => ({ mode, ...listed(now) })) }, page);

/** Anything with Next's cookie setter: cookies() in actions, NextResponse#cookies in the proxy and route handlers. */
type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

/** Sets the session's cookies, or clears them (null). A mode's own cookies that this session has none of are cleared. */
export function setSessionCookies(writer: CookieWriter, issued: IssuedSession | null) {
  const values: Record<string, string | undefined> = { session: issued?.token, ...issued?.cookies };
  for (const name of new Set(['session', ...Object.values(modes).flatMap((mode) => mode.cookies ?? [])])) {
    // Each lives exactly as long as the session; a cleared one is replaced by an expired one with the same attributes (as __Host- requires).
    const value = issued && values[name];
    writer.set(cookieName(name), value || '', { ...cookieAttributes(), ...(value ? { expires: issued.expiresAt } : { expires: new Date(0), maxAge: 0 }) });
  }
}

/** Signs the browser out: the session cookie and every mode's own cookies go. */
export const clearSessionCookies = (writer: CookieWriter) => setSessionCookies(writer, null);
