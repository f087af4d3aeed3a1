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

export function setSessionCookie(cookies: CookieWriter, issued: IssuedSession) {
  cookies.set(getSessionCookieName(), issued.token, { ...baseAttributes(), expires: issued.expiresAt });
}

/** Makes the browser drop it (a __Host- cookie is only replaced by one with the same attributes). */
export function clearSessionCookie(cookies: CookieWriter) {
  cookies.set(getSessionCookieName(), '', { ...baseAttributes(), expires: new Date(0), maxAge: 0 });
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
 * session check itself. The value is taken as the framework would take it (RFC 6265 allows it in
 * double quotes), without URI-decoding: a value that needs decoding was not issued here.
 */
export function readSessionCookieFromHeader(cookieHeader: string | null | undefined): CookieRead {
  const [raw] = sentSessionCookies(cookieHeader);
  const value = raw !== undefined && raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  return readSessionCookie(cookieHeader, value?.includes('%') ? safeDecode(value) : value);
}

/** Every value sent under the session cookie's name, as the raw header has them. */
function sentSessionCookies(cookieHeader: string | null | undefined) {
  const name = getSessionCookieName();
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
