import 'server-only';
// The stolen-cookie experiment: the lab plays a thief who copied this browser's session cookies.
// It sends the copy over real HTTP, as another machine would, every THIEF_INTERVAL_MS:
//   read:    GET /api/session with the session cookie alone;
//   act:     POST /api/token (a token exchange), which authorises a write, so it reads the session's
//            row; it sends every cookie it copied, hybrid's refresh cookie included;
//   refresh: hybrid only, and only once the owner signed out: POST /api/session/refresh with the
//            copied refresh token (before that, a refresh would rotate the owner's own token).
// The owner then signs the session out, and the page shows who still gets in and why. The thief
// stops once every probe is refused, THIEF_AFTER_SIGN_OUT_MS after the sign-out, or THIEF_MAX_MS after
// the copy, whichever comes first: a stateless copy would read for its whole lifetime.
import { getDb } from '@/lib/db/client';
import { processSingleton } from '@/lib/process-state';
import { postRefresh, postTokenExchange, replayToken, selfOrigin, type Replay } from '@/lib/lab/replay';
import { getServiceTokenSettings } from '@/lib/session/service-token';
import { cookieName, sessionCookieName } from '@/lib/session/03-cookies';
import type { Mode, Session } from '@/lib/session/05-session';
import { MODES, type SessionMode } from '@/lib/session/modes';

const THIEF_INTERVAL_MS = 1000;
const THIEF_AFTER_SIGN_OUT_MS = 90_000;
const THIEF_MAX_MS = 10 * 60_000;

export const PROBES = ['read', 'act', 'refresh'] as const;
export type Probe = (typeof PROBES)[number];

/** One try: when (epoch ms), the HTTP status, and the refusal's reason (null when let in). */
export type Try = { atMs: number; status: number; reason: string | null };

export type Theft = {
  userId: string;
  mode: SessionMode;
  stolenAtMs: number;
  /** The copied token's own end: when the server stops reading it, sign-out or not. */
  tokenExpiresAtMs: number;
  /** When the owner signed the stolen session out (its row's revokedAt), null until then. */
  signedOutAtMs: number | null;
  tries: number;
  last: Record<Probe, Try | null>;
  /** The first try of each probe after the sign-out that was refused. */
  firstRefusedAfterSignOut: Record<Probe, Try | null>;
  /** The latest try of each probe after the sign-out that got in. */
  lastAcceptedAfterSignOut: Record<Probe, Try | null>;
  done: boolean;
  error?: string;
};

/** One thief per user: a new copy replaces the last. */
const thefts = processSingleton('stolen-cookie-thefts', () => new Map<string, Theft>());

/** Every cookie a browser of this mode holds for its session: what a thief would copy. */
export const sessionCookieNames = (mode: SessionMode) => [sessionCookieName(), ...((MODES[mode] as Mode).cookies ?? []).map(cookieName)];

export const getTheft = (userId: string) => thefts.get(userId) ?? null;

const isRefused = (attempt: Try | null) => attempt !== null && attempt.status !== 200;

type Copy = { token: string; cookieHeader: string; refreshToken: string | null; tokenHash: string };

/** The probes a theft of this mode makes once the owner signed out. */
const probesOf = (mode: SessionMode): readonly Probe[] => (mode === 'hybrid' ? PROBES : (['read', 'act'] as const));

async function signedOutAt(tokenHash: string) {
  const row = await getDb().session.findUnique({ where: { tokenHash }, select: { revokedAt: true } });
  return row?.revokedAt?.getTime() ?? null;
}

const toTry = ({ status, reason }: Replay): Try => ({ atMs: Date.now(), status, reason });

async function tryOnce(theft: Theft, copy: Copy) {
  const origin = selfOrigin();
  theft.signedOutAtMs ??= await signedOutAt(copy.tokenHash);
  const signedOut = theft.signedOutAtMs !== null;
  const [read, act, refresh] = await Promise.all([
    replayToken(origin, copy.token).then(toTry),
    postTokenExchange(origin, copy.cookieHeader, getServiceTokenSettings().VERIFIER_AUDIENCE).then(toTry),
    signedOut && copy.refreshToken ? postRefresh(origin, copy.refreshToken).then(toTry) : null,
  ]);
  theft.tries += 1;
  theft.last = { read, act, refresh };
  if (!signedOut) return;
  for (const probe of PROBES) {
    const attempt = theft.last[probe];
    if (isRefused(attempt)) theft.firstRefusedAfterSignOut[probe] ??= attempt;
    else if (attempt) theft.lastAcceptedAfterSignOut[probe] = attempt;
  }
}

function finished(theft: Theft, nowMs: number) {
  if (probesOf(theft.mode).every((probe) => isRefused(theft.last[probe]))) return true;
  if (theft.signedOutAtMs !== null && nowMs - theft.signedOutAtMs > THIEF_AFTER_SIGN_OUT_MS) return true;
  return nowMs - theft.stolenAtMs > THIEF_MAX_MS;
}

async function run(theft: Theft, copy: Copy) {
  try {
    while (thefts.get(theft.userId) === theft) {
      await tryOnce(theft, copy);
      if (finished(theft, Date.now())) break;
      await new Promise((resolve) => setTimeout(resolve, THIEF_INTERVAL_MS));
    }
  } catch (error) {
    theft.error = error instanceof Error ? error.message : String(error);
  } finally {
    theft.done = true;
  }
}

/**
 * Copies the session of this request: `token` is its session cookie's value, `cookieHeader` every
 * cookie of the session (for hybrid, with the refresh cookie), `refreshToken` hybrid's refresh
 * token alone. The first try runs before this
 * returns, so the page shows at once that the copy gets in.
 */
export async function stealSession(session: Session, copy: Omit<Copy, 'tokenHash'>): Promise<Theft> {
  const theft: Theft = {
    userId: session.user.id,
    mode: session.mode,
    stolenAtMs: Date.now(),
    tokenExpiresAtMs: session.token.payload.exp * 1000,
    signedOutAtMs: null,
    tries: 0,
    last: { read: null, act: null, refresh: null },
    firstRefusedAfterSignOut: { read: null, act: null, refresh: null },
    lastAcceptedAfterSignOut: { read: null, act: null, refresh: null },
    done: false,
  };
  thefts.set(theft.userId, theft);
  const stolen = { ...copy, tokenHash: session.tokenHash };
  await tryOnce(theft, stolen);
  void run(theft, stolen);
  return theft;
}
