import 'server-only';
// The outage drill: the article's "infrastructure" row, seen live on the cluster. It signs in one
// throwaway session per mode, asks the cluster's supervisor to stop PostgreSQL for a few seconds,
// and meanwhile sends both tokens through the front door, recording who was still served, by
// which instance; then it measures how long each instance took to serve stateful requests again
// once the database was back.
//
// Hybrid reads go on like stateless ones (the access token needs only the public key, which each
// instance holds in memory); its refresh needs the row, so a refresh during the outage answers
// 503, and the first one after it is served again.
//
// Only the supervisor of `npm run demo:cluster` can stop the database (it owns the process and
// restarts it after at most its own bound, whatever happens here). A single server (`npm run
// demo`, SQLite) simulates the outage instead: for the same few seconds every query of its process
// fails as an unreachable database would (lib/db/client.ts), and the run is stored as simulated.
import { getEnv } from '@/lib/env';
import { postRefresh, replayToken, selfOrigin, type Replay } from '@/lib/lab/replay';
import { saveRun, type StoredByMode } from '@/lib/lab/runs';
import { getDb, simulateStoreOutage } from '@/lib/db/client';
import type { SessionUser } from '@/lib/session/04-store';
import { createSession } from '@/lib/session/10-sessions';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { processSingleton } from '@/lib/process-state';

export const DRILL_OUTAGE_MS = 3000;
const INTERVAL_MS = 150;
const BASELINE_ROUNDS = 3;
/** After this long without a stateful 200 from every instance, the drill reports no recovery. */
const RECOVERY_LIMIT_MS = 10_000;
/** The name a single server's replies are counted under (only the cluster's instances name themselves). */
const THIS_SERVER = 'this server';
const DRILL_CLIENT = { userAgent: 'Outage drill (throwaway session)', ip: 'server' };

type Phase = 'before' | 'during' | 'after';
type Tally = { served: number; unavailable: number; other: number };

export type DrillResult = {
  outageMs: number;
  intervalMs: number;
  instances: number;
  /** Per phase and mode: requests answered 200, 503, or anything else. Runs stored before hybrid mode lack it. */
  tallies: Record<Phase, StoredByMode<Tally>>;
  /** Hybrid's refresh: tried in every round of the outage, and once after it . */
  refresh?: Record<'during' | 'after', Tally>;
  /** Per instance: ms from the database's return to its first stateful 200 (null: none within the limit). */
  recoveryMs: Record<string, number | null>;
  /** The outage was simulated inside one server process (no database was stopped). Cluster runs lack it. */
  simulated?: boolean;
};

export type DrillRefusal = { status: 403 | 409 | 429 | 502; message: string };

const lock = processSingleton('outage-drill', () => ({ running: false }));

function controls() {
  const { CLUSTER_CONTROL_URL, CLUSTER_CONTROL_TOKEN, CLUSTER_FRONT_DOOR_URL } = getEnv();
  if (!CLUSTER_CONTROL_URL || !CLUSTER_CONTROL_TOKEN || !CLUSTER_FRONT_DOOR_URL) return null;
  return { url: CLUSTER_CONTROL_URL, token: CLUSTER_CONTROL_TOKEN, frontDoor: CLUSTER_FRONT_DOOR_URL };
}

/** Whether this server stops a real database for the drill (under the cluster's supervisor), or simulates the outage. */
export function drillIsSimulated() {
  return controls() === null;
}

/** Where the drill sends its tokens, and how it takes the store away and brings it back. */
function target() {
  const cluster = controls();
  if (cluster)
    return { simulated: false, origin: cluster.frontDoor, stop: (ms: number) => control(`/postgres/stop?ms=${ms}`), start: () => control('/postgres/start') };
  const ok = { status: 200, body: {} as { error?: string } };
  return {
    simulated: true,
    origin: selfOrigin(),
    // Like the supervisor's, the outage lasts until start() ends it; its own bound only guards against a drill that never does.
    stop: async (ms: number) => (simulateStoreOutage(ms + RECOVERY_LIMIT_MS), ok),
    start: async () => (simulateStoreOutage(0), ok),
  };
}

/** A call to the supervisor; status 502 when it cannot be reached (it stopped, or is restarting). */
async function control(path: string) {
  const { url, token } = controls()!;
  try {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as { error?: string } };
  } catch {
    return { status: 502, body: { error: 'The cluster supervisor did not answer.' } };
  }
}

const emptyTally = (): Tally => ({ served: 0, unavailable: 0, other: 0 });
const emptyTallies = () => Object.fromEntries(SESSION_MODES.map((mode) => [mode, emptyTally()])) as Record<SessionMode, Tally>;

function count(tally: Tally, reply: Replay | null) {
  if (reply?.status === 200) tally.served += 1;
  else if (reply?.status === 503) tally.unavailable += 1;
  else tally.other += 1;
}

/**
 * An instance loads the public keys from the database the first time it sees a hybrid token. A
 * deployment's instances have long done so; the drill's must have too before the database stops,
 * or it would measure a cold start instead of an outage. Round robin: a few tries reach them all.
 */
async function warmKeySets(frontDoor: string, token: string) {
  const instances = getEnv().CLUSTER_INSTANCES;
  const seen = new Set<string>();
  for (let i = 0; i < 4 * instances && seen.size < instances; i++) {
    const reply = await replayToken(frontDoor, token).catch(() => null);
    if (reply?.status === 200 && reply.servedBy) seen.add(reply.servedBy);
  }
}

export async function runOutageDrill(user: SessionUser): Promise<DrillResult | DrillRefusal> {
  const store = target();
  // It takes the shared database away from everyone, so not every visitor of a demo may.
  if (user.role !== 'admin') return { status: 403, message: 'The outage drill stops the shared database, so only an admin may run it.' };
  if (lock.running) return { status: 429, message: 'An outage drill is already running on this instance.' };
  lock.running = true;
  const sessions: { id: string; token: string; mode: SessionMode; refreshToken?: string }[] = [];
  let stopped = false;
  try {
    // Five minutes: longer than the drill, so no token (hybrid's access token included) expires during it.
    for (const mode of SESSION_MODES) {
      const issued = await createSession(user, mode, DRILL_CLIENT, { notAfter: new Date(Date.now() + 5 * 60_000) });
      sessions.push({ id: issued.sessionId, token: issued.token, mode, refreshToken: issued.cookies?.refresh });
    }
    const hybrid = sessions.find((s) => s.mode === 'hybrid')!;
    await warmKeySets(store.origin, hybrid.token);
    const tallies: Record<Phase, Record<SessionMode, Tally>> = { before: emptyTallies(), during: emptyTallies(), after: emptyTallies() };
    const refresh = { during: emptyTally(), after: emptyTally() };
    const instances = new Set<string>();
    const round = async (phase: Phase) => {
      const replies = await Promise.all(sessions.map(async (s) => ({ mode: s.mode, reply: await replayToken(store.origin, s.token).catch(() => null) })));
      // Refused during the outage, the refresh token is never rotated, so every round presents the same one.
      if (phase === 'during') count(refresh.during, await postRefresh(store.origin, hybrid.refreshToken!).catch(() => null));
      for (const { mode, reply } of replies) {
        count(tallies[phase][mode], reply);
        if (reply) instances.add(reply.servedBy ?? THIS_SERVER);
      }
      return replies;
    };
    const pause = () => new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));

    for (let i = 0; i < BASELINE_ROUNDS; i++) {
      await round('before');
      await pause();
    }
    const stop = await store.stop(DRILL_OUTAGE_MS);
    if (stop.status !== 200) {
      const status = stop.status === 409 || stop.status === 429 ? stop.status : 502;
      return { status, message: stop.body.error ?? 'The supervisor refused to stop the database.' };
    }
    stopped = true;
    const stoppedAt = performance.now();
    while (performance.now() - stoppedAt < DRILL_OUTAGE_MS) {
      await round('during');
      await pause();
    }
    await store.start();
    const backAt = performance.now();

    const stateful = sessions.find((s) => s.mode === 'stateful')!;
    const recoveryMs: Record<string, number | null> = Object.fromEntries([...instances].map((name) => [name, null]));
    while (performance.now() - backAt < RECOVERY_LIMIT_MS && Object.values(recoveryMs).some((ms) => ms === null)) {
      const reply = await replayToken(store.origin, stateful.token).catch(() => null);
      count(tallies.after.stateful, reply);
      const instance = reply?.servedBy ?? THIS_SERVER;
      if (reply?.status === 200 && recoveryMs[instance] === null) recoveryMs[instance] = Math.round(performance.now() - backAt);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await round('after');
    count(refresh.after, await postRefresh(store.origin, hybrid.refreshToken!).catch(() => null));

    const simulated = drillIsSimulated();
    const instanceCount = simulated ? 1 : getEnv().CLUSTER_INSTANCES;
    const result: DrillResult = {
      outageMs: DRILL_OUTAGE_MS,
      intervalMs: INTERVAL_MS,
      instances: instanceCount,
      tallies,
      refresh,
      recoveryMs,
      ...(simulated && { simulated }),
    };
    await saveRun<DrillResult>('outage', result);
    return result;
  } finally {
    // If something above failed mid-outage, bring the database back now rather than at the bound.
    if (stopped) await store.start().catch(() => undefined);
    await getDb()
      .session.deleteMany({ where: { id: { in: sessions.map((s) => s.id) } } })
      .catch(() => undefined);
    lock.running = false;
  }
}
