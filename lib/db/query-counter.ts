// Counts the SQL statements that really reach the database driver, by wrapping the Prisma
// driver adapter. The comparison page and the tests read these numbers, so they come from
// the client's own traffic, not from the session code's bookkeeping.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { processSingleton } from '@/lib/process-state';

type Counter = { queries: number; writes: number; micros: number };

const state = processSingleton('query-counter', () => ({ scope: new AsyncLocalStorage<Counter>() }));

/** Counts and times one statement that reaches the database, in the current countQueries scope. */
export async function countStatement<T>(run: () => Promise<T>, write = false): Promise<T> {
  const counter = state.scope.getStore();
  if (!counter) return run();
  counter.queries += 1;
  if (write) counter.writes += 1;
  const started = performance.now();
  try {
    return await run();
  } finally {
    counter.micros += (performance.now() - started) * 1000;
  }
}

/**
 * Runs fn and reports how many statements it sent to the database (`writes` of them anything but
 * a SELECT), and the time they took.
 */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number; writes: number; dbMicros: number }> {
  const counter: Counter = { queries: 0, writes: 0, micros: 0 };
  const result = await state.scope.run(counter, fn);
  return { result, queries: counter.queries, writes: counter.writes, dbMicros: Math.round(counter.micros) };
}

function isWrite(query: unknown) {
  const sql = (query as { sql?: unknown } | undefined)?.sql;
  return typeof sql !== 'string' || !/^\s*(SELECT|WITH\b(?![\s\S]*\b(INSERT|UPDATE|DELETE)\b))/i.test(sql);
}

function wrapQueryable<T extends SqlQueryable>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (...args: unknown[]) => countStatement(() => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args), isWrite(args[0]));
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => wrapQueryable(await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(object, args));
      }
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

export function withQueryCounting(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === 'connect') {
        return async () => wrapQueryable<SqlDriverAdapter>(await factory.connect());
      }
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
