import 'server-only';
// 03 · What a request carries: the session cookie, defined once with its attributes, and the one
// strict way to read a cookie; the header with the page's path, which the proxy adds; and the
// forwarding headers of trusted proxies (getClientInfo, 11-dal.ts). With COOKIE_SECURE (the production default) the names
// carry the __Host- prefix, which makes the browser insist on Secure, Path=/ and no Domain, so no
// subdomain can plant or overwrite them. HttpOnly keeps the token out of page scripts;
// SameSite=Lax keeps it off cross-site posts. A mode may add a cookie of its own (hybrid's refresh
// token) with the same attributes.
// Next: 04-store.ts.
import { getSettings } from './01-settings';

/** Every cookie of the session code has these attributes (a mode's own cookies and the add-ons' too). */
export const cookieAttributes = () => ({ httpOnly: true, secure: getSettings().COOKIE_SECURE, sameSite: 'lax' as const, path: '/' });

/** A cookie's name as it is sent: with the __Host- prefix when cookies are Secure. */
export const cookieName = (base: string) => (getSettings().COOKIE_SECURE ? `__Host-${base}` : base);
export const sessionCookieName = () => cookieName('session');

/**
 * The one reading of a cookie, shared by the proxy, pages, actions and route handlers, so all
 * judge the same bytes. Two cookies of the name (one planted with another Path, say) make the
 * visitor anonymous instead of picking one; a value that is empty, or that only URI-decoding makes
 * readable, was never issued here (tokens are base64url), so it is refused; so is a value in
 * double quotes, which the framework keeps. `parsed` is the framework's value (cookies()): in a
 * render that follows a server action it holds the cookie the action set, which no sent value is.
 */
export function readCookie(cookieHeader: string | null | undefined, name: string, parsed?: string): { present: boolean; value: string | undefined } {
  const sent = (cookieHeader?.includes(name) ? cookieHeader.split(/\s*;\s*/) : []).flatMap((p) => (p.startsWith(`${name}=`) ? [p.slice(name.length + 1)] : []));
  // A sent value with "%" may be what the framework decoded into `parsed`: it is judged below, and refused.
  if (parsed !== undefined && !sent.some((raw) => raw === parsed || raw.includes('%'))) return { present: true, value: parsed || undefined };
  return { present: sent.length > 0, value: sent.length === 1 && sent[0] && !sent[0].includes('%') ? sent[0] : undefined };
}

/** The request's path, as the proxy hands it to the page (a page cannot read its own URL), so a refused visitor comes back after login. */
export const PATHNAME_HEADER = 'x-pathname';

/**
 * The entry of a forwarding header (X-Forwarded-For, X-Forwarded-Host) that TRUST_PROXY's proxies
 * vouch for. Each proxy appends what it saw, so the right-most entries are theirs and anything
 * left of them is whatever the client sent: the address is the right-most entry none of them
 * added. Fewer entries than proxies: the request did not come through them all.
 */
export function forwardedEntry(value: string | null | undefined, hops = getSettings().TRUST_PROXY): string | undefined {
  const entries = hops && value ? value.split(',').map((entry) => entry.trim()) : [];
  return (entries.length >= hops ? entries[entries.length - hops] : undefined) || undefined;
}
