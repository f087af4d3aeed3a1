// Process-wide state. Next bundles a module once per route layer (pages, route handlers), so a
// plain module-level variable can exist several times in one server process. State that must be
// shared (the query counter, the metrics, the labs) lives on globalThis under a registered symbol.
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`jwt-sessions-reference.${name}`);
  const store = globalThis as Record<symbol, unknown>;
  if (!(key in store)) store[key] = create();
  return store[key] as T;
}
