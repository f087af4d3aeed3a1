// What a custom server in this process (server.mjs) may tell the app about a request: the
// socket's address and a request id. Any client can send headers of those names, so they count
// only when the request also carries the token that server registered on globalThis at start.
// Under plain `next start` (or a serverless platform) nothing is registered, every such header is
// ignored, and the app does without: no socket address, no Server-Timing.
const FRONT = Symbol.for('jwt-sessions-reference.front-server');

const FRONT_HEADERS = { token: 'x-front-server-token', clientIp: 'x-client-socket-ip', requestId: 'x-internal-request-id' } as const;

type RequestContext = { storeUnavailable: boolean; status: number; retryAfterSeconds: number };
type FrontServer = { token?: string; requests?: { getStore(): RequestContext | undefined } };

function frontServer() {
  return (globalThis as Record<symbol, FrontServer | undefined>)[FRONT];
}

/** The vouched headers of this request, or null when no custom server in this process sent it. */
export function readFrontHeaders(headers: Headers): { clientIp: string | null; requestId: string | null } | null {
  const registered = frontServer()?.token;
  if (!registered || headers.get(FRONT_HEADERS.token) !== registered) return null;
  return { clientIp: headers.get(FRONT_HEADERS.clientIp), requestId: headers.get(FRONT_HEADERS.requestId) };
}

/**
 * Tells the custom server that this request met an unreachable database, so it answers 503
 * instead of 500. It finds the request through its AsyncLocalStorage, which follows the render.
 */
export function markRequestStoreUnavailable() {
  const context = frontServer()?.requests?.getStore();
  if (context) context.storeUnavailable = true;
}

/**
 * Asks the custom server to answer this request with `status` instead of 200 (a page or a server
 * action cannot set its own). Under plain `next start` nothing happens: the response stays 200.
 */
export function setResponseStatus(status: number, retryAfterSeconds = 0) {
  const context = frontServer()?.requests?.getStore();
  if (!context) return;
  context.status = status;
  context.retryAfterSeconds = retryAfterSeconds;
}
