// Counts the SQL statements that really reach the database driver, by wrapping the Prisma
// driver adapter. The comparison page and the tests read these numbers, so they come from
// the client's own traffic, not from the session code's bookkeeping.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { processSingleton } from '@/lib/process-state';

type Counter = { queries: number; micros: number };

const state = processSingleton('query-counter', () => ({ scope: new AsyncLocalStorage<Counter>() }));

/** Counts and times one statement that reaches the database, in the current countQueries scope. */
export async function countStatement<T>(run: () => Promise<T>): Promise<T> {
  const counter = state.scope.getStore();
  if (!counter) return run();
  counter.queries += 1;
  const started = performance.now();
  try {
    return await run();
  } finally {
    counter.micros += (performance.now() - started) * 1000;
  }
}

/** Runs fn and reports how many statements it sent to the database, and the time they took. */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number; dbMicros: number }> {
  const counter: Counter = { queries: 0, micros: 0 };
  const result = await state.scope.run(counter, fn);
  return { result, queries: counter.queries, dbMicros: Math.round(counter.micros) };
}

function wrapQueryable<T extends SqlQueryable>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (...args: unknown[]) => countStatement(() => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args));
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
