import 'server-only';
// A cookie sealed with iron-session: the browser keeps it, but can neither read nor forge it. The
// mode preference and the trusted-device cookie are both such cookies.
import { cookies } from 'next/headers';
import { getIronSession } from 'iron-session';

type SealedCookie = { name: string; attributes: Record<string, unknown>; ttlSeconds: number };

export async function openSealedCookie<T extends object>(cookie: SealedCookie, password: string) {
  return getIronSession<T>(await cookies(), { password, cookieName: cookie.name, ttl: cookie.ttlSeconds, cookieOptions: cookie.attributes });
}
