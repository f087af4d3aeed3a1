// `npm run test:copy`: proves the copy manifest (copy-manifest.json) by copying. For each mode, and
// once for all three together, it builds a fresh, minimal Next.js app in a temporary folder (a
// layout, a home page, this repository's node_modules and nothing else), copies in exactly the
// manifest's files for that copy and the pages a copier writes (examples/copy/), generates its
// Prisma client from the manifest's models, and then: type-checks it, runs knip on it (no unused
// export may come from the session code), builds it, starts it, and runs a Playwright smoke
// against it (e2e-copy/). It prints what each copy costs a reader against the README's targets.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '@/lib/db/migrate';
import { copyOf, formatCopyStats, MODE_NAMES, readManifest, statsOf, TARGETS, type CopyName } from './count-loc';

const ROOT = process.cwd();
const PORT = Number(process.env.COPY_TEST_PORT || 3300);
const KEEP = process.env.COPY_TEST_KEEP === '1';
const only = process.argv.slice(2) as CopyName[];
const COPIES: CopyName[] = only.length ? only : [...MODE_NAMES, 'all'];
const repoPackage = JSON.parse(readFileSync('package.json', 'utf8'));
const versionOf = (name: string) => repoPackage.dependencies[name] ?? repoPackage.devDependencies[name];

/** The add-on the example pages need: accounts (sign up, log in). The optional ones stay out. */
const EXAMPLE_ADD_ONS = ['accounts'];

/** Example files that only a copy with the session file they use gets. */
const EXAMPLE_NEEDS: Record<string, string> = { 'proxy.ts': 'lib/session/12-proxy.ts', 'scripts/rotate-keys.ts': 'lib/session/08-hybrid-keys.ts' };

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

/** A tool from the copy's own node_modules, so it and the app load one React, one Next.js. */
const bin = (dir: string, name: string) => path.join(dir, 'node_modules', '.bin', name);

/** The models a copy needs, as a schema cut from prisma/schema.prisma: relation fields to models left out go too. */
function schemaFor(models: string[]) {
  const source = readFileSync('prisma/schema.prisma', 'utf8');
  const blocks = source.match(/^(model|generator|datasource) \w+ \{[\s\S]*?^\}/gm) ?? [];
  const kept = blocks.filter((block) => !block.startsWith('model') || models.includes(block.split(' ')[1]));
  const all = blocks.filter((block) => block.startsWith('model')).map((block) => block.split(' ')[1]);
  const missing = all.filter((model) => !models.includes(model));
  return kept
    .map((block) =>
      block
        .split('\n')
        .filter((line) => !missing.some((model) => new RegExp(`^\\s+\\w+\\s+${model}(\\[\\]|\\?)?(\\s|$)`).test(line)))
        .join('\n'),
    )
    .join('\n\n');
}

/** The tables of `models`, created by this repository's own migrations in a scratch database. */
async function createTables(models: string[], file: string) {
  const scratch = path.join(mkdtempSync(path.join(os.tmpdir(), 'copy-scratch-')), 'scratch.db');
  await migrate(`file:${scratch}`);
  const source = new Database(scratch, { readonly: true });
  const statements = source
    .prepare(`SELECT sql FROM sqlite_master WHERE tbl_name IN (${models.map(() => '?').join(', ')}) AND sql IS NOT NULL ORDER BY type = 'index'`)
    .all(...models) as { sql: string }[];
  source.close();
  const target = new Database(file);
  for (const { sql } of statements) target.exec(sql);
  target.close();
  rmSync(path.dirname(scratch), { recursive: true, force: true });
}

/** The copy's modes.ts: the repository's, keeping only the modes taken. */
function modesFile(modes: readonly string[]) {
  const source = readFileSync('lib/session/modes.ts', 'utf8');
  const dropped = MODE_NAMES.filter((mode) => !modes.includes(mode));
  return source
    .split('\n')
    .filter((line) => !dropped.some((mode) => new RegExp(`^import \\{ ${mode} \\}`).test(line)))
    .join('\n')
    .replace(/SESSION_MODES = \[[^\]]*\]/, `SESSION_MODES = [${modes.map((mode) => `'${mode}'`).join(', ')}]`)
    .replace(/MODES = \{[^}]*\}/, `MODES = { ${modes.join(', ')} }`);
}

function writeApp(dir: string, name: CopyName) {
  const manifest = readManifest();
  const copy = copyOf(manifest, name);
  const addOns = EXAMPLE_ADD_ONS.map((addOn) => manifest.addOns[addOn]);
  const files = [...new Set([...copy.files, ...addOns.flatMap((addOn) => addOn.files)])];
  const models = [...copy.models, ...addOns.flatMap((addOn) => addOn.models)];
  const packages = [...copy.packages, ...addOns.flatMap((addOn) => addOn.packages ?? [])];
  const modes = name === 'all' ? MODE_NAMES : [name];

  // What a new app has: a package.json, a tsconfig, a layout and a home page.
  const dependencies = Object.fromEntries(
    ['next', 'react', 'react-dom', 'better-sqlite3', '@prisma/adapter-better-sqlite3', ...packages].sort().map((dep) => [dep, versionOf(dep)]),
  );
  const devDependencies = Object.fromEntries(['typescript', '@types/node', '@types/react', 'prisma', 'knip'].map((dep) => [dep, versionOf(dep)]));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `copy-${name}`, private: true, dependencies, devDependencies }, null, 2));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['dom', 'dom.iterable', 'esnext'],
          skipLibCheck: true,
          strict: true,
          noEmit: true,
          esModuleInterop: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          resolveJsonModule: true,
          isolatedModules: true,
          jsx: 'react-jsx',
          plugins: [{ name: 'next' }],
          paths: { '@/*': ['./*'] },
        },
        include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
        exclude: ['node_modules'],
      },
      null,
      2,
    ),
  );
  // This repository's node_modules as the copy's own: hard links, made in a second (Turbopack does
  // not follow a node_modules symlink out of the app's folder).
  execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules')]);
  writeFileSync(
    path.join(dir, 'next.config.ts'),
    `import type { NextConfig } from 'next';\n\nconst nextConfig: NextConfig = {};\n\nexport default nextConfig;\n`,
  );
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  writeFileSync(
    path.join(dir, 'app/layout.tsx'),
    `export const metadata = { title: 'A copy' };\n\nexport default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n`,
  );
  writeFileSync(
    path.join(dir, 'app/page.tsx'),
    `export default function Home() {\n  return <main><h1>A new app</h1><a href="/dashboard">Dashboard</a></main>;\n}\n`,
  );

  // Exactly the manifest's files, then the pages a copier writes.
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(file, path.join(dir, file));
  }
  writeFileSync(path.join(dir, 'lib/session/modes.ts'), modesFile(modes));
  cpSync('examples/copy', dir, {
    recursive: true,
    filter: (source) => !EXAMPLE_NEEDS[path.relative('examples/copy', source)] || files.includes(EXAMPLE_NEEDS[path.relative('examples/copy', source)]),
  });

  mkdirSync(path.join(dir, 'prisma'), { recursive: true });
  writeFileSync(path.join(dir, 'prisma/schema.prisma'), schemaFor(models));
  writeFileSync(path.join(dir, 'knip.json'), JSON.stringify({ entry: ['scripts/*.ts'], project: ['**/*.{ts,tsx}'], ignore: ['lib/generated/**'] }, null, 2));
  return { files, models };
}

/**
 * knip on the copy: no unused export, type or file may come from the session code the manifest
 * lists for this copy. (An add-on's export that only another add-on would use is noted, not failed.)
 */
function checkUnusedExports(dir: string, sessionFiles: string[]) {
  let output: string;
  try {
    output = execFileSync(bin(dir, 'knip'), ['--no-progress', '--reporter', 'json', '--include', 'exports,types,files'], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? '';
  }
  const { issues = [] } = JSON.parse(output || '{}') as { issues?: { file: string; exports?: { name: string }[]; types?: { name: string }[] }[] };
  const found = issues.flatMap((issue) => [...(issue.exports ?? []), ...(issue.types ?? [])].map((item) => ({ file: issue.file, name: item.name })));
  const fromCore = found.filter((item) => sessionFiles.includes(item.file));
  for (const item of found.filter((item) => !fromCore.includes(item))) console.log(`  note: knip: ${item.name} in ${item.file} is unused in this copy`);
  if (fromCore.length) throw new Error(`knip: unused exports from the session code: ${fromCore.map((item) => `${item.name} (${item.file})`).join(', ')}`);
}

function startServer(dir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(dir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(PORT)], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitForServer(url: string, server: ReturnType<typeof startServer>) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`the copy's server exited:\n${server.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the copy's server did not answer at ${url}:\n${server.output()}`);
}

async function testCopy(name: CopyName) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `jwt-sessions-copy-${name}-`));
  const started = Date.now();
  try {
    const { files } = writeApp(dir, name);
    run(process.execPath, [path.join(dir, 'node_modules/prisma/build/index.js'), 'generate', '--schema', 'prisma/schema.prisma'], dir, {
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    });
    const database = path.join(dir, 'app.db');
    await createTables(readManifestModels(name), database);
    run(bin(dir, 'tsc'), ['--noEmit', '-p', '.'], dir);
    checkUnusedExports(dir, copyOf(readManifest(), name).files);
    run(process.execPath, [path.join(dir, 'node_modules/next/dist/bin/next'), 'build'], dir, { NEXT_TELEMETRY_DISABLED: '1' });
    const env = {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: `file:${database}`,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      COOKIE_SECURE: 'false',
      STATELESS_TOKEN_TTL_SECONDS: '8',
      HYBRID_ACCESS_TTL_SECONDS: '8',
      HYBRID_REFRESH_LEEWAY_SECONDS: '2',
      CLOCK_TOLERANCE_SECONDS: '0',
    };
    const server = startServer(dir, env);
    try {
      const baseURL = `http://localhost:${PORT}`;
      await waitForServer(`${baseURL}/`, server);
      run(bin(ROOT, 'playwright'), ['test', '-c', 'playwright.copy.config.ts', '--reporter=line'], ROOT, {
        COPY_BASE_URL: baseURL,
        COPY_HAS_PROXY: existsSync(path.join(dir, 'proxy.ts')) ? '1' : '0',
        COPY_MODES: name === 'all' ? MODE_NAMES.join(',') : name,
      });
    } finally {
      server.child.kill();
    }
    const stats = statsOf(copyOf(readManifest(), name).files);
    console.log(
      `${formatCopyStats(name, stats)} · passed in ${Math.round((Date.now() - started) / 1000)} s (${files.length} files copied with the examples' add-ons)`,
    );
    return stats;
  } finally {
    if (KEEP) console.log(`  kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const readManifestModels = (name: CopyName) => {
  const manifest = readManifest();
  return [...copyOf(manifest, name).models, ...EXAMPLE_ADD_ONS.flatMap((addOn) => manifest.addOns[addOn].models)];
};

async function main() {
  if (!existsSync('node_modules/.bin/next')) throw new Error('Run npm install first.');
  const failures: string[] = [];
  for (const name of COPIES) {
    try {
      const stats = await testCopy(name);
      if (stats.code > TARGETS[name]) failures.push(`${name}: ${stats.code} lines of code, over the target of ${TARGETS[name]}`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
      console.error(`${name}: FAILED\n${(error as Error).message}`);
    }
  }
  const manifest = readManifest();
  for (const [addOn, part] of Object.entries(manifest.addOns)) console.log(`add-on ${formatCopyStats(addOn, statsOf(part.files))}`);
  if (failures.length) {
    console.error(`\ntest:copy failed:\n${failures.map((failure) => `  - ${failure.split('\n')[0]}`).join('\n')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
