import 'server-only';
// The revocation lab: one throwaway session per mode for the logged-in user, both signed out at
// once, then each token replayed over real HTTP against /api/session every few hundred ms until
// the server refuses it. The gap between sign-out and first refusal is the revocation window.
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { saveRun } from '@/lib/lab/runs';
import { createSession, revokeSession, type SessionUser } from '@/lib/session';
import { replayToken } from '@/lib/lab/replay';
import { randomId } from '@/lib/session/ids';
import { processSingleton } from '@/lib/process-state';

export const LAB_TTL_SECONDS = 10;
const LAB_INTERVAL_MS = 250;
const LAB_CLIENT = { userAgent: 'Revocation lab (throwaway session)', ip: 'server' };
const KEEP_MS = 10 * 60 * 1000;

type Attempt = { mode: SessionMode; atMs: number; status: number };

export type LabState = {
  id: string;
  userId: string;
  startedAt: string;
  ttlSeconds: number;
  intervalMs: number;
  attempts: Attempt[];
  /** ms from sign-out to the first refused replay; null while still accepted. */
  windowMs: Record<SessionMode, number | null>;
  done: boolean;
  error?: string;
};

export type LabResult = Pick<LabState, 'ttlSeconds' | 'intervalMs' | 'windowMs'> & { attempts: number };

const labs = processSingleton('revocation-labs', () => new Map<string, LabState>());

function internalOrigin() {
  return `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

async function run(lab: LabState, tokens: Record<SessionMode, string>, signedOutAt: number) {
  const deadline = signedOutAt + labDurationSeconds() * 1000;
  try {
    while (performance.now() < deadline && (lab.windowMs.stateless === null || lab.windowMs.stateful === null)) {
      await Promise.all(
        (['stateless', 'stateful'] as const)
          .filter((mode) => lab.windowMs[mode] === null)
          .map(async (mode) => {
            const { status } = await replayToken(internalOrigin(), tokens[mode]);
            const atMs = Math.round(performance.now() - signedOutAt);
            lab.attempts.push({ mode, atMs, status });
            if (status === 401) lab.windowMs[mode] = atMs;
          }),
      );
      await new Promise((resolve) => setTimeout(resolve, LAB_INTERVAL_MS));
    }
    await saveRun<LabResult>('revocation', { ttlSeconds: lab.ttlSeconds, intervalMs: lab.intervalMs, windowMs: lab.windowMs, attempts: lab.attempts.length });
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
    windowMs: { stateless: null, stateful: null },
    done: false,
  };
  labs.set(lab.id, lab);
  const labEnd = new Date(Date.now() + LAB_TTL_SECONDS * 1000);
  try {
    const issued = {
      stateless: await createSession(user, 'stateless', LAB_CLIENT, { notAfter: labEnd }),
      stateful: await createSession(user, 'stateful', LAB_CLIENT, { notAfter: labEnd }),
    };
    await revokeSession(user.id, issued.stateless.sessionId, 'signed-out-by-other-device');
    await revokeSession(user.id, issued.stateful.sessionId, 'signed-out-by-other-device');
    void run(lab, { stateless: issued.stateless.token, stateful: issued.stateful.token }, performance.now());
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
