import 'server-only';
// A bounded, per-process cache of tokens that passed verification, keyed by the exact token
// string. Safe because nothing it remembers can change: the signature and the claims are fixed
// by the string, the key and the rules are fixed for the life of the process, and each entry is
// dropped once its token expires, by the verifier's own rule. It saves the cryptography only: a
// stateful token's row is still read on every request, so revocation stays instant.
//
// Only verified tokens go in, so a flood of forged ones never touches it; a flood of valid ones
// (each costs a login) pushes the oldest entries out and costs them one fresh verification.

export type TokenCache<T> = {
  /** The entry for this exact token, unless it expired (then it is dropped). */
  get(token: string, nowSeconds: number): T | undefined;
  set(token: string, value: T, expSeconds: number): void;
  readonly size: number;
  clear(): void;
};

/**
 * `isExpired(exp, now)` must be the verifier's rule, so a cached token expires exactly when a
 * fresh verification would start refusing it. Eviction is oldest-first: Map keeps insertion order,
 * so the bound costs nothing to keep.
 */
export function createTokenCache<T>(maxEntries: number, isExpired: (expSeconds: number, nowSeconds: number) => boolean): TokenCache<T> {
  const entries = new Map<string, { value: T; expSeconds: number }>();
  return {
    get(token, nowSeconds) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (isExpired(entry.expSeconds, nowSeconds)) {
        entries.delete(token);
        return undefined;
      }
      return entry.value;
    },
    set(token, value, expSeconds) {
      if (maxEntries <= 0) return;
      entries.delete(token);
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(token, { value, expSeconds });
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
