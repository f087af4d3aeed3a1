// The session code never imports the lab, the speed-ups or the app: the lint rule that says so must
// bite, and the code as it stands must pass it.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

async function restrictedImports(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').length;
}

describe('the reference/lab boundary', () => {
  it.each([
    ["import { recordSessionCheck } from '@/lib/lab/metrics';", 'the lab'],
    ["import { jsonError } from '@/lib/http/api';", 'the HTTP helpers'],
    ["import { SiteHeader } from '@/components/site-header';", 'the app'],
    ["import { x } from '../lab/metrics';", 'the lab, by a relative path'],
    ["import { readFrontHeaders } from '@/lib/front-server';", 'the custom server'],
    ["import { listDemoAccounts } from '@/lib/demo-users';", 'the demo'],
    ["import { countQueries } from '@/lib/db/query-counter';", "the lab's query counter"],
    ["import { getEnv } from '@/lib/env';", "the demo's settings"],
    ["import { verifyLean } from '@/lib/fast-path/lean-verifier';", 'a speed-up'],
  ])('refuses %s in lib/session (%s)', async (code) => {
    expect(await restrictedImports(code, 'lib/session/example.ts')).toBe(1);
  });

  it('refuses an import that leaves lib/session from the hardening add-ons', async () => {
    expect(await restrictedImports("import { x } from '../../lab/metrics';", 'lib/session/hardening/example.ts')).toBe(1);
    expect(await restrictedImports("import { settings } from '../01-settings';", 'lib/session/hardening/example.ts')).toBe(0);
  });

  it('lets the session code import itself and the database client', async () => {
    const allowed = ["import { getDb } from '@/lib/db/client';", "import { hashSecretId } from './01-settings';"];
    for (const code of allowed) expect(await restrictedImports(code, 'lib/session/example.ts')).toBe(0);
  });

  it('lets the lab import the session code', async () => {
    expect(await restrictedImports("import { traceSessions } from '@/lib/session/11-dal';", 'lib/lab/example.ts')).toBe(0);
  });

  it('holds for every file of the session code as it stands', async () => {
    const dir = path.resolve(__dirname, '../../lib/session');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(dir, name));
    const results = await eslint.lintFiles(files);
    const offences = results.flatMap((result) =>
      result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${path.basename(result.filePath)}: ${m.message}`),
    );
    expect(offences).toEqual([]);
  });
});
