// The shape of both attacks of `npm run bench:scale` (in-process, lib/lab/throttle-flood.ts, and
// over HTTP, scripts/login-flood.ts): `attempts` calls of `attempt(i)`, each sent when it is due at
// `perSecond` whatever the answers before it (an open loop, as attackers send: connections that
// each wait for their answer would measure how fast the server can refuse, and put anyone else in
// line behind them however cheap a refusal is), while `owner()` runs again and again,
// `ownerPauseMs` apart. At most MAX_OPEN_ATTEMPTS are open at once: past that the attack waits,
// and the rate it reached (attempts ÷ seconds) says so.

const MAX_OPEN_ATTEMPTS = 256;

export async function underAttack({
  attempts,
  perSecond,
  attempt,
  owner,
  ownerPauseMs,
}: {
  attempts: number;
  perSecond: number;
  attempt: (i: number) => Promise<void>;
  owner: () => Promise<void>;
  ownerPauseMs: number;
}) {
  const started = performance.now();
  let attacking = true;
  const ownerRun = (async () => {
    while (attacking) {
      await owner();
      await new Promise((resolve) => setTimeout(resolve, ownerPauseMs));
    }
  })();
  const open = new Set<Promise<void>>();
  for (let i = 0; i < attempts; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    // Behind time, still a turn of the event loop: an in-process attack on SQLite answers without
    // I/O, and would starve the owner's timers.
    await new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
    while (open.size >= MAX_OPEN_ATTEMPTS) await Promise.race(open);
    const sent: Promise<void> = attempt(i).finally(() => open.delete(sent));
    open.add(sent);
  }
  await Promise.all(open);
  attacking = false;
  await ownerRun;
  const seconds = (performance.now() - started) / 1000;
  return { seconds, attemptsPerSecond: attempts / seconds };
}
