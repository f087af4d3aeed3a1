import 'server-only';
// The revocation lab: one throwaway session per mode for the logged-in user, all signed out at
// once, then each token replayed over real HTTP against /api/session every few hundred ms until
// the server refuses it. The gap between sign-out and first refusal is the revocation window.
//
// Hybrid's access token would read for minutes (HYBRID_ACCESS_TTL_SECONDS), so the lab does not
// wait for it: it replays it like the others (it keeps reading), tries its refresh token right
// after the sign-out (refused at once: the refresh reads the row), and computes the window from
// the access token's own exp, which is when the server starts refusing it, plus the clock
// tolerance. A window that a replay actually ended during the lab (a short configured lifetime)
// is measured instead.
import { decodeJwt } from 'jose';
import { getEnv } from '@/lib/env';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { saveRun, type StoredByMode } from '@/lib/lab/runs';
import { revokeSession, type SessionUser } from '@/lib/session/04-store';
import { createSession } from '@/lib/session/10-sessions';
import { refreshSession } from '@/lib/session/09-hybrid';
import { replayToken, selfOrigin } from '@/lib/lab/replay';
import { randomId } from '@/lib/session/01-settings';
import { processSingleton } from '@/lib/process-state';
import { endedBy, type EndedBy } from '@/lib/view/lab-verdict';

export const LAB_TTL_SECONDS = 10;
const LAB_INTERVAL_MS = 250;
const LAB_CLIENT = { userAgent: 'Revocation lab (throwaway session)', ip: 'server' };
const KEEP_MS = 10 * 60 * 1000;

/** `reason`: why a refused replay was refused (the API's reason), null while accepted. */
type Attempt = { mode: SessionMode; atMs: number; status: number; reason: string | null };

/** Hybrid's refresh token, tried once right after the sign-out: `refusedWith` is the reason, null if it was accepted. */
type RefreshAttempt = { atMs: number; refusedWith: string | null };

type HybridLab = {
  /** The access token's exp: the server refuses it from exp plus the clock tolerance. */
  accessExpiresAt: string;
  /** ms from sign-out until the server refuses the access token, from its exp (not waited for). */
  computedWindowMs: number;
  refresh: RefreshAttempt | null;
};

export type LabState = {
  id: string;
  userId: string;
  startedAt: string;
  ttlSeconds: number;
  intervalMs: number;
  attempts: Attempt[];
  /** ms from sign-out to the first refused replay; null while still accepted. */
  windowMs: Record<SessionMode, number | null>;
  /** What ended each token: its sign-out ('revoked') or its exp ('expired'); null while still accepted. */
  endedBy: Record<SessionMode, EndedBy | null>;
  hybrid: HybridLab;
  done: boolean;
  error?: string;
};

/**
 * A stored run. `windowMs.hybrid` is measured when a replay was refused during the lab, else
 * computed from the token's exp (`hybridWindowComputed`). Runs stored before hybrid mode lack it.
 */
export type LabResult = Pick<LabState, 'ttlSeconds' | 'intervalMs'> & {
  windowMs: StoredByMode<number | null>;
  endedBy?: StoredByMode<EndedBy | null>;
  attempts: number;
  hybridWindowComputed?: boolean;
  hybridRefresh?: RefreshAttempt | null;
};

const labs = processSingleton('revocation-labs', () => new Map<string, LabState>());

/** The modes whose replays the lab waits for; hybrid's access token is only replayed along. */
const WAITED_FOR = ['stateless', 'stateful'] as const;

async function run(lab: LabState, issued: { tokens: Record<SessionMode, string>; refreshToken: string }, signedOutAt: number) {
  const deadline = signedOutAt + labDurationSeconds() * 1000;
  try {
    const refreshed = await refreshSession(issued.refreshToken);
    lab.hybrid.refresh = { atMs: Math.round(performance.now() - signedOutAt), refusedWith: refreshed.ok ? null : refreshed.reason };
    while (performance.now() < deadline && WAITED_FOR.some((mode) => lab.windowMs[mode] === null)) {
      await Promise.all(
        SESSION_MODES.filter((mode) => lab.windowMs[mode] === null).map(async (mode) => {
          const { status, reason } = await replayToken(selfOrigin(), issued.tokens[mode]);
          const atMs = Math.round(performance.now() - signedOutAt);
          lab.attempts.push({ mode, atMs, status, reason });
          if (status === 401) {
            lab.windowMs[mode] = atMs;
            lab.endedBy[mode] = endedBy(reason);
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, LAB_INTERVAL_MS));
    }
    const hybridMeasured = lab.windowMs.hybrid !== null;
    await saveRun<LabResult>('revocation', {
      ttlSeconds: lab.ttlSeconds,
      intervalMs: lab.intervalMs,
      windowMs: { ...lab.windowMs, hybrid: lab.windowMs.hybrid ?? lab.hybrid.computedWindowMs },
      endedBy: { ...lab.endedBy, hybrid: lab.endedBy.hybrid ?? 'expired' },
      attempts: lab.attempts.length,
      hybridWindowComputed: !hybridMeasured,
      hybridRefresh: lab.hybrid.refresh,
    });
  } catch (error) {
    console.error('revocation lab failed', error);
    lab.error = 'The lab could not reach this server over HTTP.';
  } finally {
    lab.done = true;
    setTimeout(() => labs.delete(lab.id), KEEP_MS).unref();
  }
}

/** How long a lab can run: the tokens' lifetime, the clock tolerance and a margin. */
function labDurationSeconds() {
  return LAB_TTL_SECONDS + getEnv().CLOCK_TOLERANCE_SECONDS + 3;
}

/** Labs running at once across all users: each one makes this server replay tokens at itself. */
const MAX_RUNNING_LABS = 4;

export type LabRefusal = { status: 429; message: string };

/**
 * Starts a lab for the user and returns at once; poll getLab() for progress. One running lab per
 * user, and a few at most per server: each lab makes this server replay tokens at itself.
 */
export async function startLab(user: SessionUser): Promise<LabState | LabRefusal> {
  const running = [...labs.values()].filter((lab) => !lab.done);
  const wait = `about ${labDurationSeconds()} seconds`;
  if (running.some((lab) => lab.userId === user.id))
    return { status: 429, message: `A revocation lab is already running for you; wait for it to finish (${wait}).` };
  if (running.length >= MAX_RUNNING_LABS)
    return { status: 429, message: `${MAX_RUNNING_LABS} revocation labs are running on this server; try again in ${wait}.` };
  // Registered before the first await, so two requests at once cannot both start one.
  const lab: LabState = {
    id: randomId(),
    userId: user.id,
    startedAt: new Date().toISOString(),
    ttlSeconds: LAB_TTL_SECONDS,
    intervalMs: LAB_INTERVAL_MS,
    attempts: [],
    windowMs: { stateless: null, stateful: null, hybrid: null },
    endedBy: { stateless: null, stateful: null, hybrid: null },
    hybrid: { accessExpiresAt: new Date().toISOString(), computedWindowMs: 0, refresh: null },
    done: false,
  };
  labs.set(lab.id, lab);
  const labEnd = new Date(Date.now() + LAB_TTL_SECONDS * 1000);
  // The hybrid session outlives one access token, so its access token gets the full lifetime a real one has.
  const hybridEnd = new Date(Date.now() + 2 * getEnv().HYBRID_ACCESS_TTL_SECONDS * 1000);
  try {
    const issued = {
      stateless: await createSession(user, 'stateless', LAB_CLIENT, { notAfter: labEnd }),
      stateful: await createSession(user, 'stateful', LAB_CLIENT, { notAfter: labEnd }),
      hybrid: await createSession(user, 'hybrid', LAB_CLIENT, { notAfter: hybridEnd }),
    };
    for (const mode of SESSION_MODES) await revokeSession(user.id, issued[mode].sessionId, 'signed-out-by-other-device');
    const signedOutAt = performance.now();
    const signedOutEpochMs = Date.now();
    const exp = decodeJwt(issued.hybrid.token).exp!;
    lab.hybrid.accessExpiresAt = new Date(exp * 1000).toISOString();
    lab.hybrid.computedWindowMs = Math.max(0, Math.round((exp + getEnv().CLOCK_TOLERANCE_SECONDS) * 1000 - signedOutEpochMs));
    const tokens = { stateless: issued.stateless.token, stateful: issued.stateful.token, hybrid: issued.hybrid.token };
    void run(lab, { tokens, refreshToken: issued.hybrid.cookies!.refresh }, signedOutAt);
  } catch (error) {
    labs.delete(lab.id);
    throw error;
  }
  return lab;
}

/** A lab's state, for its owner only. */
export function getLab(id: string, userId: string): LabState | null {
  const lab = labs.get(id);
  return lab && lab.userId === userId ? lab : null;
}
