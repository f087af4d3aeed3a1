// The log of refused session cookies, fed by the lab's tracer (observe.ts). Anyone can send a bad
// cookie with every request: the first refusal of a minute is logged at once, the rest of that
// minute as one line when it ends.
import { processSingleton } from '@/lib/process-state';

const rejections = processSingleton('rejection-log', () => ({ windowEndsAtMs: 0, counts: new Map<string, number>() }));

function flushRejections() {
  const total = [...rejections.counts.values()].reduce((sum, count) => sum + count, 0);
  if (total)
    console.warn(`session rejected: ${total} more in the last 60 s (${[...rejections.counts].map(([reason, count]) => `${reason} ${count}`).join(', ')})`);
  rejections.counts.clear();
}

export function logRejection(reason: string, nowMs = Date.now()) {
  if (nowMs >= rejections.windowEndsAtMs) {
    flushRejections();
    rejections.windowEndsAtMs = nowMs + 60_000;
    console.warn(`session rejected: ${reason}`);
    return;
  }
  if (rejections.counts.size === 0) setTimeout(flushRejections, rejections.windowEndsAtMs - nowMs).unref();
  rejections.counts.set(reason, (rejections.counts.get(reason) ?? 0) + 1);
}
