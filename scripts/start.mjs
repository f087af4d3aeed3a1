// `npm start`: the app (server.mjs) and the second verifier (verifier/server.mjs) side by side, as
// two processes, because the verifier stands for another service: it shares nothing with the app
// but the public keys it fetches over HTTP. If either stops, the other is stopped too, so the
// demo never runs half-started; Ctrl-C or a SIGTERM stops both. PORT alone moves both (the
// verifier takes PORT + 10), so two copies run side by side on different PORTs.
import { spawn } from 'node:child_process';
import nextEnv from '@next/env'; // CommonJS: no named exports under Node's ESM loader
import { appPort, exitIfPortInUse, probePort, verifierPort } from './ports.mjs';

// The verifier reads SESSION_ISSUER and the audiences, which may be set in .env.local; Next.js
// loads that file only inside server.mjs, so load it here as `next start` would.
nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });

const FORCE_KILL_AFTER_MS = 10_000;
const host = process.env.HOSTNAME || '0.0.0.0';
const verifierHost = process.env.VERIFIER_HOST || '127.0.0.1';

/** How to reach a server from this machine, whatever address it binds (all interfaces by default). */
function localOrigin(bound, port) {
  const reachable = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

// Both ports are checked before anything starts, so a taken one gets one line, not a stack trace
// from a half-started demo. VERIFIER_PORT=0 is resolved to a real free port here, so the app is
// told the port the verifier really listens on.
const port = appPort();
await probePort(port, host).catch((error) => exitIfPortInUse(error, port, 'the app', 'PORT'));
const wanted = verifierPort();
const verifier = await probePort(wanted, verifierHost).catch((error) => exitIfPortInUse(error, wanted, 'the second verifier', 'VERIFIER_PORT'));

const { SESSION_SECRET: _secret, ...withoutSecret } = process.env;
const processes = {
  app: {
    args: ['server.mjs'],
    env: { ...process.env, PORT: String(port), VERIFIER_URL: process.env.VERIFIER_URL || localOrigin(verifierHost, verifier) },
  },
  verifier: {
    args: ['verifier/server.mjs'],
    // Without the secret: the verifier must manage with the published keys alone, and shows it.
    env: {
      ...withoutSecret,
      VERIFIER_PORT: String(verifier),
      VERIFIER_HOST: verifierHost,
      JWKS_URL: process.env.JWKS_URL || `${localOrigin(host, port)}/.well-known/jwks.json`,
    },
  },
};

let stopping = false;
let exitCode = 0;
const children = Object.entries(processes).map(([name, { args, env }]) => {
  const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} stopped (${signal ?? `code ${code}`}); stopping the rest`);
      exitCode = code || 1;
      stopAll('SIGTERM');
    }
    if (children.every((other) => other.exitCode !== null || other.signalCode !== null)) process.exit(exitCode);
  });
  return child;
});

function stopAll(signal) {
  stopping = true;
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill(signal);
    // A child that ignores the signal must not keep the port (or this process) forever.
    setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_AFTER_MS).unref();
  }
}

// Ctrl-C in a terminal reaches the children too; forwarding covers a SIGTERM sent to this process alone.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
