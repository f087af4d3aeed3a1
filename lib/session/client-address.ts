// Where a request comes from: the entry of X-Forwarded-For (or X-Forwarded-Host) that trusted
// proxies vouch for, and the socket's address when the app knows a way to learn it (this repo's
// server.mjs does, see lib/front-server.ts). The resolver is registered once at start-up; without
// it the address is "unknown", as on plain `next start` or a serverless platform, and sessions
// work the same.
// No server-only import: instrumentation.ts registers the resolver outside React's server build.
import { processSingleton } from '@/lib/process-state';

type AddressResolver = (headers: Headers) => string | null | undefined;

// On globalThis: start-up code (instrumentation.ts) and the request handlers are bundled apart.
const state = processSingleton('client-address', () => ({ resolve: null as AddressResolver | null }));

/** Registers how to learn a request's socket address (replacing any earlier resolver). */
export function resolveClientAddressWith(resolve: AddressResolver) {
  state.resolve = resolve;
}

export function resolveClientAddress(headers: Headers) {
  return state.resolve?.(headers) ?? null;
}

/**
 * The entry of a forwarding header (X-Forwarded-For, X-Forwarded-Host) that `hops` proxies of
 * yours vouch for. Each proxy appends what it saw, so the right-most entries are theirs and
 * anything to the left of them is whatever the client sent: the address is the right-most entry
 * none of them added. Fewer entries than hops: the request did not come through them all.
 */
export function forwardedEntry(value: string | null | undefined, hops: number): string | undefined {
  if (!hops || !value) return undefined;
  const entries = value.split(',').map((entry) => entry.trim());
  const entry = entries.length >= hops ? entries[entries.length - hops] : undefined;
  return entry || undefined;
}
