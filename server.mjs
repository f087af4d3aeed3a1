// Production server for the demo and the lab: `next start` plus two things it cannot do. The
// session reference does not need it (it runs on plain `next start`, see the README); the lab
// uses it to show more.
// 1. Hand the app the socket's address: this server is one more trusted proxy in front of Next,
//    so it appends the address to X-Forwarded-For and counts itself in TRUST_PROXY; whatever a
//    client wrote to the left of it is never the entry the app reads.
// 2. Add the Server-Timing header that the lab measured while rendering (a page cannot set
//    response headers); lib/lab/server-timing.ts files it under the request's id.
// 3. Answer 503 (with Retry-After), not 500, when the request failed because the database was
//    unreachable (lib/db/unavailable.ts flags the request through `requests`): a page cannot set
//    its status either, and "try again shortly" is the truth.
// 4. Answer with the status a server action asked for (429 for a throttled login): an action's
//    result always comes with 200 otherwise.
// 5. Name the instance that answered (INSTANCE_NAME), for `npm run demo:cluster`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import next from 'next';
import { exitIfPortInUse } from './scripts/ports.mjs';

const HEADERS = { token: 'x-front-server-token', requestId: 'x-internal-request-id' };
const trustedHops = { '': 0, false: 0, no: 0, true: 1, yes: 1 }[(process.env.TRUST_PROXY ?? '').toLowerCase()] ?? Number(process.env.TRUST_PROXY);
process.env.TRUST_PROXY = String((Number.isInteger(trustedHops) ? trustedHops : 0) + 1);
const token = randomBytes(16).toString('base64url');
const requests = new AsyncLocalStorage();
globalThis[Symbol.for('jwt-sessions-reference.front-server')] = { token, requests };
const timings = (globalThis[Symbol.for('jwt-sessions-reference.server-timing')] ??= new Map());
const statuses = (globalThis[Symbol.for('jwt-sessions-reference.response-status')] ??= new Map());

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
const instance = process.env.INSTANCE_NAME ?? '';
const RETRY_AFTER_SECONDS = '5'; // as lib/http/api.ts answers outages on /api/*

const app = next({ dev: false, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

createServer((req, res) => {
  const id = randomUUID();
  const context = { storeUnavailable: false };
  req.headers[HEADERS.token] = token;
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  req.headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${socketAddress}` : socketAddress;
  req.headers[HEADERS.requestId] = id;
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    const timing = timings.get(id);
    if (timing && !res.hasHeader('server-timing')) res.setHeader('Server-Timing', timing);
    if (instance) res.setHeader('X-Served-By', instance);
    if (context.storeUnavailable && status >= 500) {
      res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      res.setHeader('Cache-Control', 'no-store');
      return writeHead.call(this, 503, ...rest.filter((arg) => typeof arg !== 'string'));
    }
    // A status the app asked for under this request's id (a throttled login's 429), over the 200
    // of a rendered page or action result.
    const asked = statuses.get(id);
    if (asked && status === 200) {
      if (asked.retryAfterSeconds) res.setHeader('Retry-After', String(asked.retryAfterSeconds));
      return writeHead.call(this, asked.status, ...rest.filter((arg) => typeof arg !== 'string'));
    }
    return writeHead.call(this, status, ...rest);
  };
  res.on('close', () => {
    timings.delete(id);
    statuses.delete(id);
  });
  requests.run(context, () => handle(req, res));
})
  .on('error', (error) => {
    exitIfPortInUse(error, port, instance ? `instance ${instance}` : 'the app', 'PORT');
    throw error;
  })
  .listen(port, hostname, () => {
    console.log(`${instance ? `instance ${instance} ` : ''}ready on http://localhost:${port}`);
  });
