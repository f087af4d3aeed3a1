// What a custom server in this process (server.mjs) may tell the app about a request: its id, under
// which the lab files Server-Timing and an action asks for a status. Any client can send a header
// of that name, so it counts only when the request also carries the token that server registered
// on globalThis at start. Under plain `next start` (or a serverless platform) nothing is
// registered, every such header is ignored, and the app does without: no Server-Timing.
const FRONT = Symbol.for('jwt-sessions-reference.front-server');

const FRONT_HEADERS = { token: 'x-front-server-token', requestId: 'x-internal-request-id' } as const;

type RequestContext = { storeUnavailable: boolean };
type FrontServer = { token?: string; requests?: { getStore(): RequestContext | undefined } };

function frontServer() {
  return (globalThis as Record<symbol, FrontServer | undefined>)[FRONT];
}

/** The vouched headers of this request, or null when no custom server in this process sent it. */
export function readFrontHeaders(headers: Headers): { requestId: string | null } | null {
  const registered = frontServer()?.token;
  if (!registered || headers.get(FRONT_HEADERS.token) !== registered) return null;
  return { requestId: headers.get(FRONT_HEADERS.requestId) };
}

/**
 * Tells the custom server that this request met an unreachable database, so it answers 503
 * instead of 500. It finds the request through its AsyncLocalStorage, which follows the render.
 */
export function markRequestStoreUnavailable() {
  const context = frontServer()?.requests?.getStore();
  if (context) context.storeUnavailable = true;
}

// Statuses asked for by request id; server.mjs applies and forgets them.
const STATUSES = Symbol.for('jwt-sessions-reference.response-status');

/**
 * Asks the custom server to answer this request with `status` instead of 200 (a page or a server
 * action cannot set its own). By the request id it vouched for, not by async context: Next may run
 * an action's code in a context it captured elsewhere. Under plain `next start` nothing happens.
 */
export function setResponseStatus(headers: Headers, status: number, retryAfterSeconds = 0) {
  const id = readFrontHeaders(headers)?.requestId;
  const statuses = (globalThis as Record<symbol, Map<string, { status: number; retryAfterSeconds: number }> | undefined>)[STATUSES];
  if (id && statuses) statuses.set(id, { status, retryAfterSeconds });
}
