// `npm start`: the app (server.mjs) and the second verifier (verifier/server.mjs) side by side, as
// two processes, because the verifier stands for another service: it shares nothing with the app
// but the public keys it fetches over HTTP. If either stops, the other is stopped too, so the
// demo never runs half-started; Ctrl-C or a SIGTERM stops both.
import { spawn } from 'node:child_process';
import nextEnv from '@next/env'; // CommonJS: no named exports under Node's ESM loader

// The verifier reads SESSION_ISSUER and SESSION_AUDIENCE, which may be set in .env.local; Next.js
// loads that file only inside server.mjs, so load it here as `next start` would.
nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });

const FORCE_KILL_AFTER_MS = 10_000;
const appPort = process.env.PORT || '3000';
const verifierPort = process.env.VERIFIER_PORT || '3010';

/** How to reach a server from this machine, whatever address it binds (all interfaces by default). */
function localOrigin(host, port) {
  const reachable = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

const { SESSION_SECRET: _secret, ...withoutSecret } = process.env;
const processes = {
  app: {
    args: ['server.mjs'],
    env: { ...process.env, VERIFIER_URL: process.env.VERIFIER_URL || localOrigin(process.env.VERIFIER_HOST || '127.0.0.1', verifierPort) },
  },
  verifier: {
    args: ['verifier/server.mjs'],
    // Without the secret: the verifier must manage with the published keys alone, and shows it.
    env: { ...withoutSecret, JWKS_URL: process.env.JWKS_URL || `${localOrigin(process.env.HOSTNAME, appPort)}/.well-known/jwks.json` },
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
