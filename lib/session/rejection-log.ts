// Refused session cookies, logged without letting anyone fill the log: a client can send a bad
// cookie with every request. The first refusal of a minute is written at once; the rest of that
// minute are counted by reason and written as one line when it ends.
import { processSingleton } from '@/lib/process-state';

const SUMMARY_INTERVAL_MS = 60_000;

type Write = (line: string) => void;

/** A logger of refusals that writes at most two lines per interval, however many arrive. */
export function createRejectionLog(write: Write = console.warn, intervalMs = SUMMARY_INTERVAL_MS) {
  const counts = new Map<string, number>();
  let windowEndsAtMs = -Infinity;

  function flush() {
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    if (total) {
      const byReason = [...counts].map(([reason, count]) => `${reason} ${count}`).join(', ');
      write(`session rejected: ${total} more in the last ${Math.round(intervalMs / 1000)} s (${byReason})`);
    }
    counts.clear();
  }

  return function logRejection(reason: string, nowMs = Date.now()) {
    if (nowMs >= windowEndsAtMs) {
      flush();
      windowEndsAtMs = nowMs + intervalMs;
      write(`session rejected: ${reason}`);
      return;
    }
    if (counts.size === 0) setTimeout(flush, windowEndsAtMs - nowMs).unref();
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  };
}

// On globalThis: the proxy and the route layers are bundled apart but share one process.
const shared = processSingleton('rejection-log', () => ({ log: createRejectionLog() }));

/** Logs one refused session cookie (aggregated: see above). */
export function logRejection(reason: string) {
  shared.log(reason);
}
