// Production server for the demo and the lab: `next start` plus two things it cannot do. The
// session reference does not need it (it runs on plain `next start`, see the README); the lab
// uses it to show more.
// 1. Hand the app the socket's address (any client can send X-Forwarded-For); the app believes
//    it only with this process's token (lib/front-server.ts), so a client cannot forge it.
// 2. Add the Server-Timing header that the lab measured while rendering (a page cannot set
//    response headers); lib/lab/server-timing.ts files it under the request's id.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import next from 'next';

const HEADERS = { token: 'x-front-server-token', clientIp: 'x-client-socket-ip', requestId: 'x-internal-request-id' };
const token = randomBytes(16).toString('base64url');
globalThis[Symbol.for('jwt-sessions-reference.front-server')] = { token };
const timings = (globalThis[Symbol.for('jwt-sessions-reference.server-timing')] ??= new Map());

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';

const app = next({ dev: false, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

createServer((req, res) => {
  const id = randomUUID();
  req.headers[HEADERS.token] = token;
  req.headers[HEADERS.clientIp] = req.socket.remoteAddress ?? 'unknown';
  req.headers[HEADERS.requestId] = id;
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    const timing = timings.get(id);
    if (timing && !res.hasHeader('server-timing')) res.setHeader('Server-Timing', timing);
    return writeHead.apply(this, args);
  };
  res.on('close', () => timings.delete(id));
  handle(req, res);
}).listen(port, hostname, () => {
  console.log(`ready on http://localhost:${port}`);
});
