// Where to send a user after login. Only same-origin relative paths survive; everything else
// (absolute URLs, //host, backslash tricks, javascript:, control characters) becomes the default.
const BASE = 'http://same-origin.invalid';

export function safeNextPath(value: unknown, fallback = '/dashboard'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? fallback : path;
}

/**
 * The login page's path with where to go next and why the visitor is there. Always relative:
 * the browser resolves it against the origin it is on, never the address the server bound to.
 */
export function loginPath({ next, reason }: { next?: string; reason?: string }) {
  const params = new URLSearchParams();
  if (next) params.set('next', next);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}
