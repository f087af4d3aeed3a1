// When the database cannot be reached, every query fails with one error, StoreUnavailableError,
// so the app can answer "try again shortly" (503) instead of a 500, and never mistake an outage
// for a signed-out session. Nothing catches it to carry on without the row: a stateful check
// whose row cannot be read fails closed.
import { processSingleton } from '@/lib/process-state';

/** React hands this digest to the error boundary, which then explains the outage. */
export const STORE_UNAVAILABLE_DIGEST = 'SESSION_STORE_UNAVAILABLE';

// On globalThis: instrumentation.ts subscribes from a bundle apart from the request handlers'.
const listeners = processSingleton('store-unavailable-listeners', () => new Set<() => void>());

export class StoreUnavailableError extends Error {
  readonly digest = STORE_UNAVAILABLE_DIGEST;
  constructor(cause: unknown) {
    super('The session store (database) is unreachable', { cause });
    this.name = 'StoreUnavailableError';
    for (const listener of listeners) listener();
  }
}

/** The custom server subscribes to turn this request's 500 into a 503 (instrumentation.ts). */
export function onStoreUnavailable(listener: () => void) {
  listeners.add(listener);
}

// What the pg driver adapter reports when the server is down, restarting or out of connections.
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// Prisma's own codes for the same: can't reach, timed out, connection closed, pool timeout.
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
// SQLSTATE classes 08 (connection exception) and 57P (shutting down, starting up).
const UNREACHABLE_SQLSTATE = /^(08|57P)/;
// Sockets that cannot reach the server, as pg reports them.
const UNREACHABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
// pg's own errors, which carry no code.
const UNREACHABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

type Inspectable = {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
};

/** Whether an error (or anything in its cause chain) says the database is out of reach. */
export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as Inspectable;
  // By digest, not instanceof: Next bundles this module once per route layer, and the one Prisma
  // client (shared on globalThis) throws the class of whichever layer created it.
  if ((error as { digest?: unknown }).digest === STORE_UNAVAILABLE_DIGEST) return true;
  if (typeof e.kind === 'string' && UNREACHABLE_KINDS.has(e.kind)) return true;
  if (typeof e.originalCode === 'string' && UNREACHABLE_SQLSTATE.test(e.originalCode)) return true;
  if (typeof e.code === 'string' && (UNREACHABLE_PRISMA_CODES.has(e.code) || UNREACHABLE_NETWORK_CODES.has(e.code) || UNREACHABLE_SQLSTATE.test(e.code)))
    return true;
  if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.test(e.message)) return true;
  return isStoreUnavailable(e.meta?.driverAdapterError?.cause, depth + 1) || isStoreUnavailable(e.cause, depth + 1);
}

/** How long a client should wait after a 503 for an outage; server.mjs sets the same on pages. */
export const STORE_RETRY_AFTER_SECONDS = 5;
