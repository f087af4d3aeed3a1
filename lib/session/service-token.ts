import 'server-only';
// Add-on to hybrid mode · token exchange (RFC 8693): a live session gets a short-lived token for another service. The
// session cookie never leaves the browser for anyone else: a token that does has its own audience
// (VERIFIER_AUDIENCE) and its own type (`service+jwt`, RFC 8725 §3.11), so this app refuses it as
// a session (its typ is no session's), and the other service refuses a session token (wrong typ
// and audience). It is signed with hybrid's Ed25519 keys, so the service needs only the published
// public keys (/.well-known/jwks.json) to check it: the article's "decentralisation".
import { SignJWT } from 'jose';
import { z } from 'zod';
import { getSettings, randomId, seconds, settings } from './01-settings';
import type { Session } from './05-session';
import { getSigningKey } from './08-hybrid-keys';

export const getServiceTokenSettings = settings({
  // The audience of the one other service a session may get a token for, and how long it lives.
  VERIFIER_AUDIENCE: z.string().min(1).default('jwt-sessions-reference:verifier'),
  SERVICE_TOKEN_TTL_SECONDS: seconds(60, 5, 3600),
});

const SERVICE_TOKEN_TYPE = 'service+jwt';

export type ServiceToken = { token: string; expiresAt: Date };

/**
 * A token for `audience` on behalf of a session already confirmed for a write (its row alive, and
 * for hybrid its refresh token shown): never longer than SERVICE_TOKEN_TTL_SECONDS, and never past
 * the end of the credential that asked. Null for an audience this server does not mint for.
 */
export async function exchangeForServiceToken(session: Session, audience: string, now = new Date()): Promise<ServiceToken | null> {
  const env = { ...getSettings(), ...getServiceTokenSettings() };
  // Never the app's own audience: a service token must never pass as a session.
  if (audience !== env.VERIFIER_AUDIENCE || audience === env.SESSION_AUDIENCE) return null;
  const expiresAt = new Date(Math.min(now.getTime() + env.SERVICE_TOKEN_TTL_SECONDS * 1000, session.expiresAt.getTime()));
  const { kid, privateKey } = await getSigningKey();
  const { user } = session;
  const token = await new SignJWT({ name: user.name, role: user.role })
    .setProtectedHeader({ alg: 'EdDSA', typ: SERVICE_TOKEN_TYPE, kid })
    .setSubject(user.id)
    .setJti(randomId())
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setIssuer(env.SESSION_ISSUER)
    .setAudience(audience)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(privateKey);
  return { token, expiresAt };
}
