// The migration runner writes what `prisma migrate deploy` would: every migration applied once,
// recorded in _prisma_migrations with the sha256 of its migration.sql.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '@/lib/db/migrate';
import { countCodeLines } from '../../scripts/count-loc';

describe('migrate', () => {
  it('applies every migration once and records Prisma-compatible rows', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'migrate-')), 'db.sqlite');
    const names = readMigrations('prisma/migrations').map((m) => m.name);
    expect(await migrate(`file:${file}`)).toEqual(names);
    expect(await migrate(`file:${file}`)).toEqual([]);

    const db = new Database(file, { readonly: true });
    const rows = db
      .prepare('SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name')
      .all() as Record<string, unknown>[];
    const columns = (db.prepare('PRAGMA table_info(_prisma_migrations)').all() as { name: string }[]).map((c) => c.name);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    db.close();

    expect(columns).toEqual(['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count']);
    expect(tables).toEqual(expect.arrayContaining(['User', 'Session', 'BenchmarkRun', '_prisma_migrations']));
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = readFileSync(path.resolve('prisma/migrations', String(row.migration_name), 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
  });
});

describe('countCodeLines', () => {
  it('counts code, not blank lines or comments', () => {
    const source = [
      '// header',
      '',
      'const a = 1;',
      '/* block',
      '   still comment */',
      'const b = 2; // trailing',
      '/** one-line doc */',
      'export { a, b };',
    ].join('\n');
    expect(countCodeLines(source)).toBe(3);
  });

  it('reads comment markers inside strings, templates and regular expressions as code', () => {
    // A line-by-line stripper would take the template's second line for the start of a comment
    // and skip everything after it.
    const source = ['const b = `', '/* inside the template', '`;', "const a = '/* not a comment';", '// only this is a comment', 'export { a, b };'].join('\n');
    expect(countCodeLines(source)).toBe(5);
  });
});
