// Hands a request's Server-Timing value from the render to server.mjs, which adds it to the
// response headers (a page cannot set headers itself). server.mjs gives every request an id it
// vouches for (lib/front-server.ts); the lab's observer files the timing under that id. Under
// plain `next start` there is no id, nothing is filed, and the header is simply absent.
import { processSingleton } from '@/lib/process-state';

// server.mjs reads the same map through Symbol.for('jwt-sessions-reference.server-timing').
const store = processSingleton('server-timing', () => new Map<string, string>());

export function fileServerTiming(requestId: string | null | undefined, value: string) {
  if (requestId) store.set(requestId, value);
}

export type TimingEntry = { name: string; micros: number; desc: string };

export function formatServerTiming(entries: TimingEntry[]) {
  return entries.map((e) => `${e.name};dur=${(e.micros / 1000).toFixed(3)};desc="${e.desc.replace(/["\\]/g, '')}"`).join(', ');
}
