import 'server-only';
// 03 · What a request carries: the session cookie, defined once with its attributes, and the one
// strict way to read a cookie; the header with the page's path, which the proxy adds; and the
// forwarding headers of trusted proxies. With COOKIE_SECURE (the production default) the names carry the __Host- prefix, which
// makes the browser insist on Secure, Path=/ and no Domain, so no subdomain can plant or overwrite
// them. HttpOnly keeps the token out of page scripts; SameSite=Lax keeps it off cross-site posts.
// A mode may add a cookie of its own (hybrid's refresh token) with the same attributes.
// Next: 04-store.ts.
import { getSettings } from './01-settings';

/** Anything with Next's cookie setter: cookies() in actions, NextResponse#cookies in the proxy and route handlers. */
export type CookieWriter = { set(name: string, value: string, options: Record<string, unknown>): unknown };

export function cookieAttributes() {
  return { httpOnly: true, secure: getSettings().COOKIE_SECURE, sameSite: 'lax' as const, path: '/' };
}

/** A cookie's name as it is sent: with the __Host- prefix when cookies are Secure. */
export function cookieName(base: string) {
  return getSettings().COOKIE_SECURE ? `__Host-${base}` : base;
}

export const sessionCookieName = () => cookieName('session');

/** Sets a cookie that lives exactly as long as the session it belongs to. */
export function setCookie(writer: CookieWriter, name: string, value: string, expires: Date) {
  writer.set(name, value, { ...cookieAttributes(), expires });
}

/** Makes the browser drop a cookie (a __Host- cookie is only replaced by one with the same attributes). */
export function clearCookie(writer: CookieWriter, name: string) {
  writer.set(name, '', { ...cookieAttributes(), expires: new Date(0), maxAge: 0 });
}

export type CookieRead = { present: boolean; value: string | undefined };

/** Every value sent under `name`, as the raw header has them. */
function sentValues(cookieHeader: string | null | undefined, name: string) {
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

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The one reading of a cookie, shared by the proxy, pages, actions and route handlers, so all
 * judge the same bytes. Two cookies of the name (one planted with another Path, say) make the
 * visitor anonymous instead of picking one; a value that is empty, or that only URI-decoding makes
 * readable, was never issued here (tokens are base64url), so it is refused; so is a value in
 * double quotes, which the framework keeps. `parsed` is the framework's value (cookies()): in a
 * render that follows a server action it holds the cookie the action set, which no sent value is.
 */
export function readCookie(cookieHeader: string | null | undefined, name: string, parsed?: string): CookieRead {
  const sent = sentValues(cookieHeader, name);
  if (parsed !== undefined && !sent.some((raw) => raw === parsed || safeDecode(raw) === parsed)) return { present: true, value: parsed || undefined };
  if (sent.length !== 1) return { present: sent.length > 0, value: undefined };
  const [raw] = sent;
  return { present: true, value: raw && !raw.includes('%') ? raw : undefined };
}

/** The request's path, as the proxy hands it to the page (a page cannot read its own URL), so a refused visitor comes back after login. */
export const PATHNAME_HEADER = 'x-pathname';

/**
 * The entry of a forwarding header (X-Forwarded-For, X-Forwarded-Host) that `hops` proxies of yours
 * vouch for. Each proxy appends what it saw, so the right-most entries are theirs and anything left
 * of them is whatever the client sent: the address is the right-most entry none of them added.
 * Fewer entries than hops: the request did not come through them all.
 */
export function forwardedEntry(value: string | null | undefined, hops: number): string | undefined {
  if (!hops || !value) return undefined;
  const entries = value.split(',').map((entry) => entry.trim());
  return (entries.length >= hops ? entries[entries.length - hops] : undefined) || undefined;
}

/**
 * The host the browser addressed. Behind a reverse proxy that rewrites Host (nginx's default), the
 * browser's host arrives in X-Forwarded-Host, which is believed only with TRUST_PROXY, like
 * X-Forwarded-For, and read the same way: any client can send it.
 */
function requestHost(request: Request) {
  return forwardedEntry(request.headers.get('x-forwarded-host'), getSettings().TRUST_PROXY) || request.headers.get('host');
}

/** Whether a request's Origin is this origin: a route handler that changes state needs it (browsers send Origin with every POST). */
export function isSameOrigin(request: Request) {
  const origin = request.headers.get('origin');
  const host = requestHost(request);
  if (!origin || !host || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}
