import 'server-only';
// Hardening · the proxy's half of the server-wide limits on logins from untrusted browsers
// (throttle.ts): the budget of failed logins, and the room for password work. Past either, the
// login form's action refuses a guess from a browser without a device cookie anyway, but only
// after Next.js has decoded the form, the throttle has written its counters and the page has
// rendered the message: about 10 ms of a core each, so a flood of refusals kept both cores busy
// and the owners' logins queued behind it (npm run bench:scale). The proxy refuses the same logins
// first, for a comparison or two and the unsealing of a device cookie: 429 (or 503) with Retry-After.
import { NextResponse, type NextRequest } from 'next/server';
import { cookieName } from '../03-cookies';
import { admitLogin } from './throttle';
import { deviceIdOf } from './trusted-device';

/** The query parameter the login page reads to say why a login was refused before it ran. */
export const FLOODED_PARAM = 'busy';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A login posted to `loginPath` that throttle.ts would refuse anyway (admitLogin), answered without decoding it; null for everything else. */
export async function refuseFloodedLogin(request: NextRequest, loginPath = '/login'): Promise<NextResponse | null> {
  if (request.method !== 'POST' || request.nextUrl.pathname !== loginPath) return null;
  const refusal = admitLogin(await deviceIdOf(request.cookies.get(cookieName('device'))?.value));
  if (!refusal) return null;
  const page = new URL(request.nextUrl);
  // no-transform: Next.js would otherwise gzip even this small body, which costs a refusal more than the rest of it.
  const headers = { 'Retry-After': String(refusal.retryAfterSeconds), 'Cache-Control': 'no-store, no-transform' };
  if (request.headers.has('next-action')) {
    // The form's script follows x-action-redirect with a page load; the login page says why.
    page.searchParams.set(FLOODED_PARAM, '1');
    const location = `${page.pathname}${page.search};replace`;
    return new NextResponse(null, { status: refusal.status, headers: { ...headers, 'Content-Type': 'text/plain', 'x-action-redirect': location } });
  }
  // A form posted without JavaScript: a page of its own, with nothing to run or load.
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Your login was not checked</title></head><body><main><h1>Your login was not checked</h1><p role="alert">${escapeHtml(refusal.message)}</p><p><a href="${escapeHtml(`${page.pathname}${page.search}`)}">Back to log in</a></p></main></body></html>`;
  const policy = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  return new NextResponse(body, {
    status: refusal.status,
    headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': policy },
  });
}
