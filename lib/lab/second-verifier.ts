import 'server-only';
// The app's side of the second verifier (verifier/server.mjs, at VERIFIER_URL): another service
// that checks the tokens minted for it (lib/session/service-token.ts) with nothing but the
// published public keys. /compare sends it
// a token from the server, never from the browser, and shows what it answered. The verifier may
// be down or not started (plain `next start`, a dev server): that is an answer too, never a crash.
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db/client';
import type { SessionUser } from '@/lib/session/04-store';
import { allowedModes, createSession } from '@/lib/session/10-sessions';

const THROWAWAY_CLIENT = { userAgent: 'Second verifier (throwaway stateless session)', ip: 'server' };
/** The throwaway token is deleted right after the verifier answers; this only bounds it if that fails. */
const THROWAWAY_TTL_MS = 60_000;

/** Long enough for a key-set fetch on the verifier's side, short enough that a hung one does not hold the page. */
const TIMEOUT_MS = 3000;

const Accepted = z.object({
  ok: z.literal(true),
  kid: z.string(),
  claims: z.object({ sub: z.string(), name: z.string().optional(), role: z.string().optional(), exp: z.number(), iat: z.number() }),
});
const Refused = z.object({ ok: z.literal(false).optional(), reason: z.string(), message: z.string().optional() });
const Status = z.object({ service: z.string(), jwksUrl: z.string(), knownKids: z.array(z.string()), fresh: z.boolean(), coolingDown: z.boolean() });

export type VerifierVerdict =
  | { reached: true; ok: true; kid: string; claims: z.infer<typeof Accepted>['claims'] }
  | { reached: true; ok: false; status: number; reason: string; message: string }
  | { reached: false; message: string };

export type VerifierStatus = ({ reached: true } & z.infer<typeof Status>) | { reached: false; message: string };

function unreachable(error: unknown): { reached: false; message: string } {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const where = getEnv().VERIFIER_URL;
  return {
    reached: false,
    message: timedOut
      ? `The second verifier at ${where} did not answer within ${TIMEOUT_MS / 1000} s.`
      : `The second verifier at ${where} cannot be reached. npm start and npm run demo:cluster start it beside the app; node verifier/server.mjs starts it alone.`,
  };
}

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, getEnv().VERIFIER_URL), { ...init, cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
}

/** The verifier's verdict on a token: accepted with its kid and claims, refused with its reason, or not reached. */
export async function askSecondVerifier(token: string): Promise<VerifierVerdict> {
  try {
    const { status, body } = await call('/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    const accepted = Accepted.safeParse(body);
    if (status === 200 && accepted.success) return { reached: true, ok: true, kid: accepted.data.kid, claims: accepted.data.claims };
    const refused = Refused.safeParse(body);
    if (refused.success) return { reached: true, ok: false, status, reason: refused.data.reason, message: refused.data.message ?? '' };
    return { reached: true, ok: false, status, reason: 'unexpected', message: `HTTP ${status} with an answer this page does not understand` };
  } catch (error) {
    return unreachable(error);
  }
}

/** What the verifier knows now: where it fetches keys, and the kids in its cached set. */
export async function getSecondVerifierStatus(): Promise<VerifierStatus> {
  try {
    const { status, body } = await call('/');
    const parsed = Status.safeParse(body);
    if (status === 200 && parsed.success) return { reached: true, ...parsed.data };
    return { reached: false, message: `The service at ${getEnv().VERIFIER_URL} answered HTTP ${status}, not as the second verifier does.` };
  } catch (error) {
    return unreachable(error);
  }
}

/**
 * A stateless (HS256) token for the user, minted only to show the verifier refusing it: it never
 * leaves this server, and its row is deleted as soon as the verifier has answered.
 */
export async function askAboutThrowawayStatelessToken(user: SessionUser): Promise<VerifierVerdict | null> {
  if (!allowedModes().includes('stateless')) return null;
  const issued = await createSession(user, 'stateless', THROWAWAY_CLIENT, { notAfter: new Date(Date.now() + THROWAWAY_TTL_MS) });
  try {
    return await askSecondVerifier(issued.token);
  } finally {
    await getDb().session.deleteMany({ where: { id: issued.sessionId } });
  }
}
