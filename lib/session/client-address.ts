// How to learn a request's socket address, when the app knows a way (this repo's server.mjs does,
// see lib/front-server.ts). Registered once at start-up; without a resolver the address is
// "unknown", as on plain `next start` or a serverless platform, and sessions work the same.
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
