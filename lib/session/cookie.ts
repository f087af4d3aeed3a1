import 'server-only';
// Every cookie the app sets, defined once: its name and attributes, and for the session cookie
// setting and clearing it. With COOKIE_SECURE (the production default) the names carry the
// __Host- prefix, which makes the browser insist on Secure, Path=/ and no Domain, so no subdomain
// can plant or overwrite them. Also the one strict reader of the session cookie.
import { getEnv } from '@/lib/env';
import type { IssuedSession } from './types';

/** Anything with Next's cookie setter: cookies() in actions, NextResponse#cookies in the proxy and route handlers. */
type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

function baseAttributes() {
  return { httpOnly: true, secure: getEnv().COOKIE_SECURE, sameSite: 'lax' as const, path: '/' };
}

/** The session token; it lives exactly as long as the session. */
export function getSessionCookieName() {
  return getEnv().COOKIE_SECURE ? '__Host-session' : 'session';
}

/**
 * Hybrid mode's refresh token. It is sent with every request to this origin (Path=/), because the
 * refresh happens in proxy.ts in front of every page, so that the request that found its access
 * token expired is answered with the new one, without a round trip to a refresh endpoint. A
 * narrower Path would also rule out the __Host- prefix. It is HttpOnly like the session cookie,
 * and useless without its row: one exchange rotates it, and a second one signs the session out.
 */
export function getRefreshCookieName() {
  return getEnv().COOKIE_SECURE ? '__Host-refresh' : 'refresh';
}

/**
 * The session's token, and for hybrid its refresh token; both live exactly as long as the session
 * (the access token inside expires sooner and is renewed). Any other mode clears a refresh cookie
 * a previous hybrid session of this browser left.
 */
export function setSessionCookie(cookies: CookieWriter, issued: IssuedSession) {
  const attributes = { ...baseAttributes(), expires: issued.expiresAt };
  cookies.set(getSessionCookieName(), issued.token, attributes);
  if (issued.refreshToken) cookies.set(getRefreshCookieName(), issued.refreshToken, attributes);
  else clearCookie(cookies, getRefreshCookieName());
}

/** Makes the browser drop a cookie (a __Host- cookie is only replaced by one with the same attributes). */
function clearCookie(cookies: CookieWriter, name: string) {
  cookies.set(name, '', { ...baseAttributes(), expires: new Date(0), maxAge: 0 });
}

/** Signs the browser out: the session cookie and any refresh cookie go. */
export function clearSessionCookie(cookies: CookieWriter) {
  clearCookie(cookies, getSessionCookieName());
  clearCookie(cookies, getRefreshCookieName());
}

/** The browser's mode choice, sealed by iron-session (lib/session/preferences.ts). */
export function getPreferencesCookie() {
  return { name: getEnv().COOKIE_SECURE ? '__Host-prefs' : 'prefs', attributes: baseAttributes(), ttlSeconds: 365 * 24 * 3600 };
}

/**
 * The browser's proof that it signed in to an account before (OWASP's device cookie), sealed by
 * iron-session (lib/session/trusted-device.ts). It buys a login allowance of its own, so failed
 * attempts elsewhere cannot lock this browser out.
 */
export function getTrustedDeviceCookie() {
  return { name: getEnv().COOKIE_SECURE ? '__Host-device' : 'device', attributes: baseAttributes(), ttlSeconds: 365 * 24 * 3600 };
}

export type CookieRead = { present: boolean; token: string | undefined };

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The one reading of the session cookie, shared by the proxy and the data-access layer so both
 * judge the same bytes. `parsed` is the framework's value (request.cookies in the proxy,
 * cookies() in the app): it is URI-decoded and, inside a server action, already holds the cookie
 * the action set. The raw header settles the rest:
 * - two cookies of the name (one planted with another Path, say) make the visitor anonymous
 *   instead of picking one;
 * - a value that decoding changed was not issued here (tokens are base64url), so it is refused.
 */
export function readSessionCookie(cookieHeader: string | null | undefined, parsed: string | undefined): CookieRead {
  const sent = sentSessionCookies(cookieHeader);
  if (sent.length > 1) return { present: true, token: undefined };
  const [raw] = sent;
  if (raw !== undefined && raw !== parsed && safeDecode(raw) === parsed) return { present: true, token: undefined };
  if (parsed) return { present: true, token: parsed };
  return { present: raw !== undefined, token: undefined };
}

/**
 * The same reading from the raw header alone, for code that no server action ran before (the
 * proxy, route handlers): parsing every cookie into the framework's objects costs more than the
 * session check itself. The value is taken byte for byte as the framework takes it: URI-decoded,
 * and a value in double quotes (RFC 6265 allows them) keeps its quotes, so it is refused here
 * exactly as on a page. Tokens this server issues are base64url and never quoted.
 */
export function readSessionCookieFromHeader(cookieHeader: string | null | undefined): CookieRead {
  const [raw] = sentSessionCookies(cookieHeader);
  return readSessionCookie(cookieHeader, raw?.includes('%') ? safeDecode(raw) : raw);
}

/** The refresh cookie, by the same strict rules: one of the name, exactly as issued. */
export function readRefreshCookieFromHeader(cookieHeader: string | null | undefined): CookieRead {
  const sent = sentCookies(cookieHeader, getRefreshCookieName());
  if (sent.length !== 1) return { present: sent.length > 0, token: undefined };
  return { present: true, token: sent[0] || undefined };
}

/**
 * The header with this cookie's value replaced (or added): what the proxy hands the page it lets
 * through after a refresh, so the request that found its token expired renders with the new one.
 */
export function withCookieValue(cookieHeader: string | null | undefined, name: string, value: string) {
  const others = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && part.slice(0, part.indexOf('=')) !== name);
  return [...others, `${name}=${value}`].join('; ');
}

/** Every value sent under the session cookie's name, as the raw header has them. */
function sentSessionCookies(cookieHeader: string | null | undefined) {
  return sentCookies(cookieHeader, getSessionCookieName());
}

function sentCookies(cookieHeader: string | null | undefined, name: string) {
  if (!cookieHeader?.includes(name)) return [];
  return (
    cookieHeader
      .split(';')
      .map((part) => part.trim())
      // A part without "=" is no cookie of this name (slice(0, -1) would make "sessionX" one).
      .filter((part) => part.indexOf('=') > 0 && part.slice(0, part.indexOf('=')) === name)
      .map((part) => part.slice(name.length + 1))
  );
}
