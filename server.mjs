// Production server: `next start` plus the one thing it cannot do, which is to hand the app the
// socket's address in a header no client can forge (any client can send X-Forwarded-For).
import { createServer } from 'node:http';
import next from 'next';

const CLIENT_IP_HEADER = 'x-client-socket-ip';
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';

const app = next({ dev: false, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

createServer((req, res) => {
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
  handle(req, res);
}).listen(port, hostname, () => {
  console.log(`ready on http://localhost:${port}`);
});
