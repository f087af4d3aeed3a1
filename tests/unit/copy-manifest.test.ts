// The copy manifest is the one list of what a reader copies: every file it names exists, every file
// of the session code is in it exactly once (the core, a mode or an add-on), the core never reaches
// a mode's file, and the README's checklists say what it says.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyChecklists, copyOf, MODE_NAMES, readManifest, readmeWithChecklists } from '../../scripts/count-loc';

const manifest = readManifest();
const listed = [
  ...manifest.core.files,
  ...Object.values(manifest.modes).flatMap((mode) => mode.files),
  ...Object.values(manifest.addOns).flatMap((addOn) => addOn.files),
];

function sessionFiles(dir = 'lib/session'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sessionFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/** The relative imports of a file, as repository paths. */
function localImports(file: string) {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/from '(\.{1,2}\/[^']+|@\/[^']+)'/g)].map(([, spec]) =>
    spec.startsWith('@/') ? `${spec.slice(2)}.ts` : `${path.join(path.dirname(file), spec)}.ts`,
  );
}

describe('copy-manifest.json', () => {
  it('names only files that exist', () => {
    expect(listed.filter((file) => !existsSync(file))).toEqual([]);
  });

  it('holds every file of lib/session', () => {
    expect(sessionFiles().filter((file) => !listed.includes(file))).toEqual([]);
  });

  it.each([...MODE_NAMES, 'all' as const])('the %s copy imports nothing of this repository beyond itself and your getDb()', (name) => {
    const files = copyOf(manifest, name).files;
    // modes.ts is the one file a copier edits: it keeps the imports of the modes taken.
    const imports = files.flatMap((file) => (file === 'lib/session/modes.ts' ? [] : localImports(file)));
    const outside = imports.filter((file) => !files.includes(file) && file !== 'lib/db/client.ts');
    expect(outside).toEqual([]);
  });

  it("keeps a stateless or stateful copy free of hybrid's files and models", () => {
    for (const name of ['stateless', 'stateful'] as const) {
      const copy = copyOf(manifest, name);
      expect(copy.files.filter((file) => /hybrid|refresh|jwks/.test(file))).toEqual([]);
      expect(copy.models).toEqual(['User', 'Session']);
    }
  });
});

describe("the README's copy checklists", () => {
  it('say what the manifest and the counts say (npm run readme:copy writes them)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(readmeWithChecklists(readme));
    expect(readme).toContain(copyChecklists());
  });
});
