// Two copies of the demo side by side: PORT alone moves a copy (the second verifier follows it),
// and a port that is taken gets one line naming the setting to change, before anything starts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { portInUseMessage, verifierPort } from '../../scripts/ports.mjs';

const held: Server[] = [];

afterEach(() => {
  for (const server of held.splice(0)) server.close();
});

/** Holds a free port on `host`, as another program would. */
async function holdPort(host: string) {
  const server = createServer().listen(0, host);
  await once(server, 'listening');
  held.push(server);
  return (server.address() as { port: number }).port;
}

/** `npm start` with this environment: its exit code and what it wrote. */
async function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, output: output.trim() };
}

describe('ports', () => {
  it('moves the second verifier with PORT, unless VERIFIER_PORT says otherwise', () => {
    expect(verifierPort({})).toBe(3010);
    expect(verifierPort({ PORT: '3100' })).toBe(3110);
    expect(verifierPort({ PORT: '3100', VERIFIER_PORT: '4000' })).toBe(4000);
    expect(verifierPort({ PORT: '3100', VERIFIER_PORT: '0' })).toBe(0);
  });

  it('answers a taken app port with one line naming PORT, and starts nothing', async () => {
    const port = await holdPort('0.0.0.0');
    expect(await start({ PORT: String(port) })).toEqual({ code: 1, output: portInUseMessage(port, 'the app', 'PORT') });
    expect(portInUseMessage(3000, 'the app', 'PORT')).toBe('Port 3000 (the app) is already in use: set PORT to another port (for example PORT=3100).');
  });

  it('answers a taken verifier port with one line naming VERIFIER_PORT', async () => {
    const port = await holdPort('127.0.0.1');
    const app = await holdPort('0.0.0.0');
    held.pop()!.close(); // free again: only the verifier's port is taken
    expect(await start({ PORT: String(app), VERIFIER_PORT: String(port) })).toEqual({
      code: 1,
      output: portInUseMessage(port, 'the second verifier', 'VERIFIER_PORT'),
    });
  });
});
