// Counts the lines of code of each session mode's own module and of the rest of the session
// reference (lib/session, the folder a reader copies), at build time, into
// lib/generated/source-stats.json. The comparison page's "complexity" row reads this file, so the
// number always describes the code that was built. The lab, which only measures, is not counted.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const REFERENCE_DIR = 'lib/session';
export const MODE_FILES = { stateless: `${REFERENCE_DIR}/stateless.ts`, stateful: `${REFERENCE_DIR}/stateful.ts` } as const;
const OUTPUT = 'lib/generated/source-stats.json';

/** Every other file of the reference: the core both modes share. */
export function sharedFiles() {
  const modeFiles: string[] = Object.values(MODE_FILES);
  return readdirSync(REFERENCE_DIR)
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => `${REFERENCE_DIR}/${name}`)
    .filter((file) => !modeFiles.includes(file))
    .sort();
}

/**
 * Lines that hold code: at least one token that is not a comment or white space. TypeScript's own
 * scanner finds the tokens, so "/*" inside a string or a template literal is not a comment.
 */
export function countCodeLines(source: string) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.JSX, source);
  const file = ts.createSourceFile('count.tsx', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const lines = new Set<number>();
  const trivia = new Set([
    ts.SyntaxKind.SingleLineCommentTrivia,
    ts.SyntaxKind.MultiLineCommentTrivia,
    ts.SyntaxKind.NewLineTrivia,
    ts.SyntaxKind.WhitespaceTrivia,
    ts.SyntaxKind.ShebangTrivia,
    ts.SyntaxKind.ConflictMarkerTrivia,
  ]);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (trivia.has(token)) continue;
    const first = file.getLineAndCharacterOfPosition(scanner.getTokenStart()).line;
    const last = file.getLineAndCharacterOfPosition(scanner.getTokenEnd()).line;
    for (let line = first; line <= last; line++) lines.add(line);
  }
  return lines.size;
}

function stats(file: string) {
  const source = readFileSync(path.resolve(file), 'utf8');
  return { file, code: countCodeLines(source), total: source.split('\n').length };
}

export function writeSourceStats() {
  const result = {
    countedAt: new Date().toISOString(),
    modes: { stateless: stats(MODE_FILES.stateless), stateful: stats(MODE_FILES.stateful) },
    shared: sharedFiles().map(stats),
  };
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1]?.endsWith('count-loc.ts')) {
  const result = writeSourceStats();
  console.log(`source stats: stateless ${result.modes.stateless.code} lines, stateful ${result.modes.stateful.code} lines of code`);
}
