import 'server-only';
// 10 · Sessions: the one API over the modes (modes.ts), which the data-access layer and the
// actions use. One verb per layer: the token is verified (02-tokens.ts), the session is checked
// (checkSession: the token, then the mode's own check), a write is authorised (authorizeWrite:
// the mode decides what proves the session may act).
// Next: 11-dal.ts.
import { getSettings, randomId } from './01-settings';
import { verifyToken, type TokenResult, type TokenRules } from './02-tokens';
import { clearCookie, cookieName, setCookie, sessionCookieName, type CookieWriter } from './03-cookies';
import { getSessionRows, revokeSessionByToken, purgeSessions, type ClientInfo, type SessionUser } from './04-store';
import type { IssuedSession, Mode, Refusal, RevokeReason, Session, VerifyResult } from './05-session';
import { MODES, type SessionMode } from './modes';

const modeOf = (name: string): Mode | undefined => MODES[name as SessionMode];
const allModes = (): Mode[] => Object.values(MODES);

/** The modes this server accepts (SESSION_MODES; all by default). */
export function allowedModes(): SessionMode[] {
  const listed = getSettings()
    .SESSION_MODES?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = Object.keys(MODES) as SessionMode[];
  if (!listed) return known;
  const unknown = listed.filter((name) => !modeOf(name));
  if (unknown.length || !listed.length) throw new Error(`SESSION_MODES: ${unknown.join(', ') || 'none'} is not one of ${known.join(', ')}`);
  return listed as SessionMode[];
}

/** The mode of a browser that has not chosen one (SESSION_MODE; the first allowed one by default). */
export function defaultMode(): SessionMode {
  const mode = getSettings().SESSION_MODE;
  if (mode === undefined) return allowedModes()[0];
  if (!allowedModes().includes(mode as SessionMode)) throw new Error(`SESSION_MODE=${mode} is not in SESSION_MODES`);
  return mode as SessionMode;
}

/** Reads every setting once: call it at start-up, so a bad one stops the server before it serves a request. */
export function checkSettings() {
  getSettings();
  defaultMode();
  for (const mode of allModes()) mode.settings();
}

const tokenRules = (): Record<string, TokenRules> => Object.fromEntries(Object.entries(MODES).map(([name, mode]) => [name, mode.token]));

/** A token's signature and claims, under the rules of the mode its typ names, if that mode is allowed here. No database. */
export async function verifySessionToken(token: string | undefined | null): Promise<TokenResult | Refusal> {
  const verified = await verifyToken(token, tokenRules());
  if (verified.ok && !allowedModes().includes(verified.token.mode as SessionMode)) return { ok: false, reason: 'mode-not-allowed' };
  return verified;
}

/** The authoritative check of a request's token: its signature and claims, then the mode's own check (stateful: the row). */
export async function checkSession(token: string | undefined | null, now = new Date()): Promise<VerifyResult> {
  const verified = await verifySessionToken(token);
  return verified.ok ? modeOf(verified.token.mode)!.check(verified.token, now) : verified;
}

/** The renewal the proxy should run for this request before the page sees its token, or null. */
export function renewalFor(request: { pathname: string; cookieHeader: string | null }, checked: TokenResult | Refusal | null) {
  for (const name of allowedModes()) {
    const renewal = modeOf(name)?.renewal?.(request, checked);
    if (renewal) return renewal;
  }
  return null;
}

/**
 * "Stateless for reads, the row for writes": before anything changes state, the mode decides
 * whether this session may act (its row alive; for hybrid, its refresh token shown too).
 */
export function authorizeWrite(session: Session, cookieHeader: string | null, now = new Date()): Promise<VerifyResult> {
  return modeOf(session.mode)!.authorizeWrite(session, cookieHeader, now);
}

/** Records that this session was active (the write its check asked for, after the response). */
export function recordActivity(session: Session, now = new Date()) {
  return modeOf(session.mode)?.recordActivity?.(session.tokenHash, now) ?? Promise.resolve();
}

export type CreateOptions = {
  /** Ends it no later than this: a re-issued session never outlives the credential it replaces. */
  notAfter?: Date;
  /** The browser's login this session continues; a new login starts a new one. */
  deviceId?: string;
  /** When the user last typed a password for it; a login is now. */
  authenticatedAt?: Date;
};

export function createSession(user: SessionUser, mode: SessionMode, client: ClientInfo, options: CreateOptions = {}): Promise<IssuedSession> {
  if (!allowedModes().includes(mode)) throw new Error(`Session mode ${mode} is disabled by SESSION_MODES`);
  const implementation: Mode = MODES[mode];
  const expiresAt = new Date(Math.min(Date.now() + implementation.lifetimeSeconds() * 1000, options.notAfter?.getTime() ?? Infinity));
  return implementation.create(user, client, { expiresAt, deviceId: options.deviceId ?? randomId(), authenticatedAt: options.authenticatedAt ?? new Date() });
}

/**
 * Continues a session authorised for a write as a new one: new secret id, same user and browser,
 * ending no later than the credential that was authorised, the old row revoked with the reason. The
 * old row is revoked first and only if it is still live, so two re-issues racing each other yield
 * one successor: the loser gets null. A mode switch and a password change both go through here.
 */
export async function reissueSession(
  current: Session,
  mode: SessionMode,
  client: ClientInfo,
  reason: RevokeReason,
  options: { reauthenticatedAt?: Date } = {},
) {
  if (!(await revokeSessionByToken(current.tokenHash, reason))) return null;
  return createSession(current.user, mode, client, {
    notAfter: current.expiresAt,
    deviceId: current.deviceId ?? undefined,
    // The sign-in time carries over, unless the user just typed their password again.
    authenticatedAt: options.reauthenticatedAt ?? current.authenticatedAt ?? undefined,
  });
}

/** The user's sessions a person would call signed in, or whose token still reads: each mode decides. */
export async function listSessions(userId: string, now = new Date()) {
  return (await getSessionRows(userId, now)).filter((row) => modeOf(row.mode)?.listed(row, now));
}

/** Sets the session's cookies; another mode's own cookies that this browser may hold are cleared. */
export function setSessionCookies(writer: CookieWriter, issued: IssuedSession) {
  setCookie(writer, sessionCookieName(), issued.token, issued.expiresAt);
  for (const name of new Set(allModes().flatMap((mode) => mode.cookies))) {
    const value = issued.cookies?.[name];
    if (value) setCookie(writer, cookieName(name), value, issued.expiresAt);
    else clearCookie(writer, cookieName(name));
  }
}

/** Signs the browser out: the session cookie and every mode's own cookies go. */
export function clearSessionCookies(writer: CookieWriter) {
  clearCookie(writer, sessionCookieName());
  for (const name of new Set(allModes().flatMap((mode) => mode.cookies))) clearCookie(writer, cookieName(name));
}

const PURGE_INTERVAL_MS = 10 * 60 * 1000;
let lastPurgeMs = 0;

/** The lazy clean-up: called after logins, runs at most every ten minutes per process. */
export async function purgeIfDue(now = new Date()) {
  if (now.getTime() - lastPurgeMs < PURGE_INTERVAL_MS) return;
  lastPurgeMs = now.getTime();
  await purgeSessions(now);
  for (const mode of allModes()) await mode.purge?.(now);
}
