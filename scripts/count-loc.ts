// Counts the lines of code of each session mode's own module and of the shared session core,
// at build time, into lib/generated/source-stats.json. The comparison page's "complexity" row
// reads this file, so the number always describes the code that was built.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MODE_FILES = { stateless: 'lib/session/stateless.ts', stateful: 'lib/session/stateful.ts' } as const;
export const SHARED_FILES = ['lib/session/index.ts', 'lib/session/token.ts', 'lib/session/keys.ts', 'lib/session/cookie.ts', 'lib/session/hash.ts', 'lib/session/types.ts'];
const OUTPUT = 'lib/generated/source-stats.json';

/** Lines that hold code: not blank, not only a comment. */
export function countCodeLines(source: string) {
  let inBlock = false;
  let code = 0;
  for (const raw of source.split('\n')) {
    let line = raw.trim();
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end === -1) continue;
      inBlock = false;
      line = line.slice(end + 2).trim();
    }
    if (line.startsWith('/*')) {
      const end = line.indexOf('*/', 2);
      if (end === -1) {
        inBlock = true;
        continue;
      }
      line = line.slice(end + 2).trim();
    }
    if (line === '' || line.startsWith('//')) continue;
    code += 1;
  }
  return code;
}

function stats(file: string) {
  const source = readFileSync(path.resolve(file), 'utf8');
  return { file, code: countCodeLines(source), total: source.split('\n').length };
}

export function writeSourceStats() {
  const result = {
    countedAt: new Date().toISOString(),
    modes: { stateless: stats(MODE_FILES.stateless), stateful: stats(MODE_FILES.stateful) },
    shared: SHARED_FILES.map(stats),
  };
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1]?.endsWith('count-loc.ts')) {
  const result = writeSourceStats();
  console.log(`source stats: stateless ${result.modes.stateless.code} lines, stateful ${result.modes.stateful.code} lines of code`);
}
