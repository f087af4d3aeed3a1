import 'server-only';
// The session cookie: its name, its attributes, and a strict reader. With COOKIE_SECURE (the
// production default) the name carries the __Host- prefix, which makes the browser insist on
// Secure, Path=/ and no Domain, so no subdomain can plant or overwrite it.
import { getEnv } from '@/lib/env';

export function getSessionCookieName() {
  return getEnv().COOKIE_SECURE ? '__Host-session' : 'session';
}

export function getSessionCookieOptions(expiresAt: Date) {
  return { httpOnly: true, secure: getEnv().COOKIE_SECURE, sameSite: 'lax' as const, path: '/', expires: expiresAt };
}

/** Options that make the browser drop the cookie (a __Host- cookie is only replaced by a Secure one). */
export function getExpiredSessionCookieOptions() {
  return { ...getSessionCookieOptions(new Date(0)), maxAge: 0 };
}

export type CookieRead = { present: boolean; token: string | undefined };

/**
 * Reads the session cookie from the raw Cookie header. Two cookies of the same name (one
 * planted with another Path, say) make the visitor anonymous instead of picking one.
 */
export function readSessionCookie(cookieHeader: string | null | undefined): CookieRead {
  if (!cookieHeader) return { present: false, token: undefined };
  const name = getSessionCookieName();
  const values = cookieHeader
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.slice(0, part.indexOf('=')) === name)
    .map((part) => part.slice(name.length + 1));
  if (values.length === 0) return { present: false, token: undefined };
  return { present: true, token: values.length === 1 && values[0] ? values[0] : undefined };
}
