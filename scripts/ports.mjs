// The ports a copy of the demo uses, and a one-line answer when one is taken. PORT alone moves a
// whole copy: the second verifier listens on PORT + 10 unless VERIFIER_PORT says otherwise
// (0 picks a free port, and the app is told which).
import { createServer } from 'node:net';

const VERIFIER_PORT_OFFSET = 10;

/** The app's port: PORT, or 3000. */
export function appPort(env = process.env) {
  return Number(env.PORT || 3000);
}

/** The second verifier's port: VERIFIER_PORT (0: any free one), or PORT + 10. */
export function verifierPort(env = process.env) {
  return env.VERIFIER_PORT === undefined || env.VERIFIER_PORT === '' ? appPort(env) + VERIFIER_PORT_OFFSET : Number(env.VERIFIER_PORT);
}

/** What to tell someone whose port is taken, naming the setting that moves it. */
export function portInUseMessage(port, what, setting) {
  const also = setting === 'PORT' ? '' : ', or PORT to move the whole demo';
  return `Port ${port} (${what}) is already in use: set ${setting} to another port (for example ${setting}=${port + 100}${also}).`;
}

/** Binds `port` on `host` for a moment: resolves with the port bound (0 picks a free one), or rejects (EADDRINUSE). */
export function probePort(port, host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

/** Exits with the one-line message when a server could not listen because its port is taken. */
export function exitIfPortInUse(error, port, what, setting) {
  if (error?.code !== 'EADDRINUSE') return;
  console.error(portInUseMessage(port, what, setting));
  process.exit(1);
}
