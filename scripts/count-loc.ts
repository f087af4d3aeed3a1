// Counts what a copier reads: the files the copy manifest (copy-manifest.json) lists for each mode,
// for all three together, and for the add-ons apart, in lines of code and lines of comments (blank
// lines apart), at build time, into lib/generated/source-stats.json. The comparison page's
// "complexity" row reads that file, so its numbers describe the code that was built; `npm run
// test:copy` prints the same counts against their targets. What only measures (the lab) or only
// speeds up (lib/fast-path) is not in the manifest, so it is not counted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const OUTPUT = 'lib/generated/source-stats.json';
export const MODE_NAMES = ['stateless', 'stateful', 'hybrid'] as const;
export type CopyName = (typeof MODE_NAMES)[number] | 'all';

type Part = { files: string[]; models: string[]; packages?: string[] };
export type Manifest = {
  core: Part;
  modes: Record<(typeof MODE_NAMES)[number], Part>;
  addOns: Record<string, Part & { what: string; requires?: string[] }>;
  yours: { files: string[] };
};

export function readManifest(): Manifest {
  return JSON.parse(readFileSync('copy-manifest.json', 'utf8'));
}

/** The most lines of code a copier reads, per copy (the README states them; `npm run test:copy` holds them). */
export const TARGETS: Record<CopyName, number> = { stateless: 400, stateful: 480, hybrid: 900, all: 900 };

/** The files, models and packages of one copy: the core, and the mode's own (every mode's, for `all`). */
export function copyOf(manifest: Manifest, name: CopyName): Required<Part> {
  const modes = name === 'all' ? MODE_NAMES : [name];
  const parts = [manifest.core, ...modes.map((mode) => manifest.modes[mode])];
  const all = <K extends keyof Part>(key: K) => [...new Set(parts.flatMap((part) => part[key] ?? []))];
  return { files: all('files'), models: all('models'), packages: all('packages') };
}

/**
 * Lines that hold code (at least one token that is not a comment or white space) and lines that
 * hold only comments, from TypeScript's own parse: every token of the tree, and the comments before
 * each. So "/*" inside a string or a template literal is not a comment, and a template literal that
 * spans lines is code on each of them.
 */
export function countLines(source: string, fileName = 'count.tsx') {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const code = new Set<number>();
  const comments = new Set<number>();
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  const mark = (lines: Set<number>, from: number, to: number) => {
    for (let line = lineOf(from); line <= lineOf(to); line++) lines.add(line);
  };
  const visit = (node: ts.Node) => {
    for (const range of ts.getLeadingCommentRanges(source, node.getFullStart()) ?? []) mark(comments, range.pos, range.end);
    const children = node.getChildren(file).filter((child) => !ts.isJSDoc(child));
    if (children.length === 0) {
      if (node.kind !== ts.SyntaxKind.EndOfFileToken && node.getEnd() > node.getStart(file)) mark(code, node.getStart(file), node.getEnd() - 1);
      return;
    }
    children.forEach(visit);
  };
  visit(file);
  for (const line of code) comments.delete(line);
  return { code: code.size, comments: comments.size };
}

/** Lines of code only (the comparison page's earlier measure, kept for its test). */
export function countCodeLines(source: string) {
  return countLines(source).code;
}

export type CopyStats = { files: number; code: number; comments: number };

export function statsOf(files: string[]): CopyStats {
  return files.reduce(
    (sum, file) => {
      const { code, comments } = countLines(readFileSync(path.resolve(file), 'utf8'), file);
      return { files: sum.files + 1, code: sum.code + code, comments: sum.comments + comments };
    },
    { files: 0, code: 0, comments: 0 },
  );
}

export function writeSourceStats() {
  const manifest = readManifest();
  const result = {
    countedAt: new Date().toISOString(),
    copies: Object.fromEntries([...MODE_NAMES, 'all' as const].map((name) => [name, statsOf(copyOf(manifest, name).files)])) as Record<CopyName, CopyStats>,
    modes: Object.fromEntries(MODE_NAMES.map((mode) => [mode, { ...statsOf(manifest.modes[mode].files), names: manifest.modes[mode].files }])) as Record<
      (typeof MODE_NAMES)[number],
      CopyStats & { names: string[] }
    >,
    core: statsOf(manifest.core.files),
    addOns: Object.fromEntries(Object.entries(manifest.addOns).map(([name, part]) => [name, statsOf(part.files)])) as Record<string, CopyStats>,
  };
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** One line per copy, as `npm run test:copy` prints them: `stateless: 9 files, 380 lines of code, 120 lines of comments`. */
export function formatCopyStats(name: string, stats: CopyStats) {
  const target = Object.hasOwn(TARGETS, name) ? ` (target: at most ${TARGETS[name as CopyName]})` : '';
  return `${name}: ${stats.files} files, ${stats.code} lines of code${target}, ${stats.comments} lines of comments`;
}

const README = 'README.md';
const BLOCK = /<!-- copy-checklists:start -->[\s\S]*<!-- copy-checklists:end -->/;
const files = (list: string[]) => list.map((file) => `\`${file}\``).join(', ');

/**
 * The README's per-mode copy checklists, written from the manifest and the counts: `npm run
 * readme:copy` puts them between the README's markers, and tests/unit/copy-manifest.test.ts fails
 * when the README says anything else.
 */
export function copyChecklists(manifest = readManifest()) {
  const core = manifest.core;
  const line = (name: CopyName, label: string, part?: Part) => {
    const stats = statsOf(copyOf(manifest, name).files);
    const extra = part ? `, and ${files(part.files)}${part.models.length ? `; models ${part.models.join(', ')}` : ''}` : ', and every file of the three modes';
    return `- [ ] **${label}**: ${stats.files} files, ${stats.code} lines of code (target: at most ${TARGETS[name]}), ${stats.comments} of comments. The core${extra}.`;
  };
  const addOns = Object.entries(manifest.addOns).map(([name, part]) => {
    const stats = statsOf(part.files);
    return `- **${name}** (${stats.code} lines of code${part.requires ? `; needs ${part.requires.join(', ')}` : ''}): ${part.what}. ${files(part.files)}.`;
  });
  return [
    '<!-- copy-checklists:start -->',
    `**The core, in every copy:** ${files(core.files)}; the models ${core.models.join(' and ')}; the packages ${files(core.packages ?? [])}.`,
    '',
    line('stateless', 'Stateless', manifest.modes.stateless),
    line('stateful', 'Stateful', manifest.modes.stateful),
    line('hybrid', 'Hybrid', manifest.modes.hybrid),
    line('all', 'All three'),
    '',
    'Counted apart, each an add-on you take if you want it:',
    '',
    ...addOns,
    '<!-- copy-checklists:end -->',
  ].join('\n');
}

/** The README as it should read, with today's checklists. */
export function readmeWithChecklists(readme = readFileSync(README, 'utf8')) {
  if (!BLOCK.test(readme)) throw new Error(`${README} has no copy-checklists markers`);
  return readme.replace(BLOCK, copyChecklists());
}

if (process.argv[1]?.endsWith('count-loc.ts')) {
  if (process.argv.includes('--readme')) {
    writeFileSync(README, readmeWithChecklists());
    console.log(`${README}: copy checklists written from copy-manifest.json`);
  }
  const { copies } = writeSourceStats();
  console.log(`source stats: ${[...MODE_NAMES, 'all' as const].map((name) => `${name} ${copies[name].code}`).join(', ')} lines of code`);
}
