import 'server-only';
// The page's short whole-request run, for a server where no `npm run bench` is stored: about ten
// seconds of GET /api/session over loopback, anonymous and signed in with a throwaway session per
// mode, in interleaved slices (lib/lab/http-load.ts). autocannon runs in a child process
// (scripts/http-run.ts), so the load generator and the server share the machine, not an event loop.
// One run at a time on a server: each takes both cores.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { getEnv } from '@/lib/env';
import { processSingleton } from '@/lib/process-state';
import type { Spread } from '@/lib/lab/bench-report';
import { summariseRounds, type LoadKind } from '@/lib/lab/http-load';
import { selfOrigin } from '@/lib/lab/replay';
import { saveRun } from '@/lib/lab/runs';
import { sessionCookieName } from '@/lib/session/03-cookies';
import { revokeSession, type SessionUser } from '@/lib/session/04-store';
import { createSession } from '@/lib/session/10-sessions';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';

const WARM_UP_SECONDS = 2;
const CONNECTIONS = 8;
const RUN_CLIENT = { userAgent: 'Whole-request run (throwaway session)', ip: 'server' };

type RunKind = 'anonymous' | SessionMode;

export type HttpRunResult = {
  rounds: number;
  connections: number;
  kinds: Record<RunKind, { perSecond: Spread; ratioToAnonymous: Spread }>;
};

const running = processSingleton('http-run', () => ({ now: false }));

export const isHttpRunRunning = () => running.now;

function generate(plan: object, onProgress: (fraction: number) => void): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['scripts/http-run.ts'], {
      env: { ...process.env, HTTP_RUN_PLAN: JSON.stringify(plan) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let perRound: number[][] | null = null;
    let failure: string | null = null;
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as { progress?: number; perRound?: number[][]; error?: string };
        if (message.progress !== undefined) onProgress(message.progress);
        if (message.perRound) perRound = message.perRound;
        if (message.error) failure = message.error;
      } catch {
        // Not one of its lines: ignored.
      }
    });
    child.on('error', (error) => reject(new Error(`the load generator could not start (it needs npm install's dev dependencies): ${error.message}`)));
    child.on('exit', () => (perRound ? resolve(perRound) : reject(new Error(failure ?? 'the load generator stopped without a result'))));
  });
}

/** Runs the load against this server with a throwaway session per mode of `user`, and stores the result. */
export async function runWholeRequests(user: SessionUser, onProgress: (fraction: number) => void) {
  if (running.now) throw new Error('already running');
  running.now = true;
  const rounds = getEnv().LAB_HTTP_RUN_ROUNDS;
  const seconds = WARM_UP_SECONDS + rounds;
  const notAfter = new Date(Date.now() + (seconds + 30) * 1000);
  const issued = await Promise.all(SESSION_MODES.map((mode) => createSession(user, mode, RUN_CLIENT, { notAfter })));
  try {
    // Only the session cookie: hybrid's access token is read as it is, never renewed.
    const kinds: LoadKind<RunKind>[] = [
      { kind: 'anonymous', cookie: null, status: 401 },
      ...SESSION_MODES.map((mode, index) => ({ kind: mode, cookie: `${sessionCookieName()}=${issued[index].token}`, status: 200 })),
    ];
    const plan = { url: `${selfOrigin()}/api/session`, kinds, warmUpSeconds: WARM_UP_SECONDS, rounds, connections: CONNECTIONS };
    const perRound = await generate(plan, onProgress);
    return await saveRun<HttpRunResult>('http-run', { rounds, connections: CONNECTIONS, kinds: summariseRounds(kinds, perRound) });
  } finally {
    running.now = false;
    await Promise.all(issued.map(({ sessionId }) => revokeSession(user.id, sessionId, 'logout')));
  }
}

/** How long a run takes, warm-up included. */
export const httpRunSeconds = () => WARM_UP_SECONDS + getEnv().LAB_HTTP_RUN_ROUNDS;

/** What a whole request costs by this run: the anonymous rate, and each mode's share of it. */
export function httpRunCost({ kinds }: HttpRunResult) {
  const anonymousPerSecond = kinds.anonymous.perSecond.median;
  const modes = SESSION_MODES.map((mode) => {
    const ratio = kinds[mode].ratioToAnonymous;
    return { mode, ratio, extraPercent: ratio.median > 0 ? (1 / ratio.median - 1) * 100 : null };
  });
  return { anonymousPerSecond, anonymousMicros: 1e6 / anonymousPerSecond, modes };
}
