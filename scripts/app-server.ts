// The app's production server as `npm start` runs it (server.mjs), for the benchmarks: on a free
// port of its own, on 127.0.0.1, against the database given; `fastPath` false runs the session
// core's own path (SESSION_FAST_PATH=0).
import { spawn } from 'node:child_process';
import { freePort } from './embedded-postgres';

export async function startAppServer(databaseUrl: string, { fastPath, env = {} }: { fastPath: boolean; env?: Record<string, string> }) {
  const port = await freePort();
  const child = spawn(process.execPath, ['server.mjs'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SESSION_FAST_PATH: fastPath ? '1' : '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${stderr}`);
    try {
      await fetch(`${base}/api/session`);
      return {
        base,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer within 30 s:\n${stderr}`);
}
