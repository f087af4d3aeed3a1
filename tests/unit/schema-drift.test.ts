// One schema, two migration histories. prisma/schema.prisma is the source of truth; the SQLite
// and the PostgreSQL migrations must both end at it. This applies each history to a real
// database and compares what they built with each other and with the schema's models, so a
// column, index or nullability change made on one side only fails here.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { derivePostgresSchema } from '../../scripts/prisma-clients';

type Column = { name: string; nullable: boolean; hasDefault: boolean; type: 'text' | 'datetime' | 'integer' };
type Index = { columns: string; unique: boolean };
type Table = { columns: Column[]; indexes: Index[]; foreignKeys: string[] };
type Shape = Record<string, Table>;

const sortBy = <T>(list: T[], key: (item: T) => string) => [...list].sort((a, b) => key(a).localeCompare(key(b)));

async function sqliteShape(): Promise<Shape> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'drift-')), 'db.sqlite');
  await migrate(`file:${file}`);
  const db = new Database(file, { readonly: true });
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  const shape: Shape = {};
  for (const table of tables) {
    const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[];
    const indexes = (db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[])
      .filter((index) => index.origin !== 'pk')
      .map((index) => ({
        unique: index.unique === 1,
        columns: (db.prepare(`PRAGMA index_info("${index.name}")`).all() as { name: string }[]).map((c) => c.name).join(','),
      }));
    const foreignKeys = (db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { from: string; table: string; to: string; on_delete: string }[]).map(
      (fk) => `${fk.from} -> ${fk.table}.${fk.to} on delete ${fk.on_delete.toLowerCase()}`,
    );
    shape[table] = {
      columns: sortBy(
        columns.map((c) => ({
          name: c.name,
          nullable: c.notnull === 0 && c.pk === 0,
          hasDefault: c.dflt_value !== null,
          type: c.type === 'DATETIME' ? 'datetime' : c.type === 'INTEGER' ? 'integer' : 'text',
        })),
        (c) => c.name,
      ),
      indexes: sortBy(indexes, (i) => i.columns),
      foreignKeys: foreignKeys.sort(),
    };
  }
  db.close();
  return shape;
}

async function postgresShape(): Promise<Shape> {
  // The setup file migrated this database with prisma/postgresql/migrations.
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows: columns } = await client.query(
      `SELECT table_name, column_name, is_nullable, column_default, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'`,
    );
    const { rows: indexes } = await client.query(
      `SELECT t.relname AS table, ix.indisunique AS unique, string_agg(a.attname, ',' ORDER BY k.ord) AS columns
       FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname NOT LIKE '\\_%'
       GROUP BY t.relname, ix.indexrelid, ix.indisunique`,
    );
    const { rows: foreignKeys } = await client.query(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS from, c.confrelid::regclass::text AS target, fa.attname AS to, c.confdeltype AS on_delete
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
       WHERE c.contype = 'f'`,
    );
    const onDelete: Record<string, string> = { c: 'cascade', a: 'no action', r: 'restrict', n: 'set null', d: 'set default' };
    const unquote = (name: string) => name.replace(/^"|"$/g, '');
    const shape: Shape = {};
    for (const table of new Set(columns.map((c) => c.table_name as string))) {
      shape[table] = {
        columns: sortBy(
          columns
            .filter((c) => c.table_name === table)
            .map((c) => ({
              name: c.column_name,
              nullable: c.is_nullable === 'YES',
              hasDefault: c.column_default !== null,
              type: String(c.data_type).startsWith('timestamp') ? 'datetime' : c.data_type === 'integer' ? 'integer' : 'text',
            })),
          (c) => c.name,
        ),
        indexes: sortBy(
          indexes.filter((i) => i.table === table).map((i) => ({ unique: i.unique, columns: i.columns })),
          (i) => i.columns,
        ),
        foreignKeys: foreignKeys
          .filter((fk) => unquote(fk.table) === table)
          .map((fk) => `${fk.from} -> ${unquote(fk.target)}.${fk.to} on delete ${onDelete[fk.on_delete]}`)
          .sort(),
      };
    }
    return shape;
  } finally {
    await client.end();
  }
}

/** The scalar fields of each model in prisma/schema.prisma, with "?" for optional ones. */
function schemaModels(source: string) {
  const models: Record<string, string[]> = {};
  for (const [, name, body] of source.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    models[name] = body
      .split('\n')
      .map((line) => line.trim().match(/^(\w+)\s+(String|DateTime|Int|Boolean)(\?)?(\s|$)/))
      .filter((match) => match !== null)
      .map(([, field, , optional]) => `${field}${optional ?? ''}`)
      .sort();
  }
  return models;
}

describe('the two migration histories', () => {
  it('build the same tables, columns, indexes and foreign keys on SQLite and PostgreSQL', async () => {
    const [sqlite, postgres] = await Promise.all([sqliteShape(), postgresShape()]);
    expect(Object.keys(sqlite).sort()).toEqual(['BenchmarkRun', 'RateLimiterFlexible', 'RefreshToken', 'Session', 'SigningKey', 'User']);
    expect(postgres).toEqual(sqlite);
  });

  it('both end at prisma/schema.prisma: every model field is a column, optional exactly where the schema says', async () => {
    const shape = await postgresShape();
    const models = schemaModels(readFileSync('prisma/schema.prisma', 'utf8'));
    expect(Object.keys(models).sort()).toEqual(Object.keys(shape).sort());
    for (const [table, fields] of Object.entries(models)) {
      expect(shape[table].columns.map((c) => `${c.name}${c.nullable ? '?' : ''}`).sort(), table).toEqual(fields);
    }
  });

  it('derive the PostgreSQL schema from the SQLite one, changing only the provider and the output', () => {
    const source = readFileSync('prisma/schema.prisma', 'utf8');
    const derived = derivePostgresSchema(source).split('\n').slice(1).join('\n');
    const changed = derived.split('\n').filter((line, i) => line !== source.split('\n')[i]);
    expect(changed.map((line) => line.trim())).toEqual(['output   = "../prisma-postgresql"', 'provider = "postgresql"']);
  });
});
