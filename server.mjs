// Production server: `next start` plus two things it cannot do.
// 1. Hand the app the socket's address in a header no client can forge (any client can send
//    X-Forwarded-For); lib/request-info.ts reads it.
// 2. Add the Server-Timing header that the data-access layer measured while rendering (a page
//    cannot set response headers); lib/server-timing.ts files it under a per-request id.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import next from 'next';

const CLIENT_IP_HEADER = 'x-client-socket-ip';
const REQUEST_ID_HEADER = 'x-internal-request-id';
const timings = (globalThis[Symbol.for('jwt-sessions-reference.server-timing')] ??= new Map());

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';

const app = next({ dev: false, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

createServer((req, res) => {
  const id = randomUUID();
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
  req.headers[REQUEST_ID_HEADER] = id;
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
