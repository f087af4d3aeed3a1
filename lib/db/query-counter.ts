// Counts the SQL statements that really reach the database driver, by wrapping the Prisma
// driver adapter. The comparison page and the tests read these numbers, so they come from
// the client's own traffic, not from the session code's bookkeeping.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';

type Counter = { queries: number };

const scope = new AsyncLocalStorage<Counter>();
let totalQueries = 0;

function record() {
  totalQueries += 1;
  const counter = scope.getStore();
  if (counter) counter.queries += 1;
}

/** Runs fn and reports how many statements it sent to the database. */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const counter: Counter = { queries: 0 };
  const result = await scope.run(counter, fn);
  return { result, queries: counter.queries };
}

export function getTotalQueries() {
  return totalQueries;
}

function wrapQueryable<T extends SqlQueryable>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (...args: unknown[]) => {
          record();
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
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
