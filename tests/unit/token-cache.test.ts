// The fast path's cache of verified tokens: on its own (bounded, oldest out first, an entry gone at
// its exp), then in front of the lean verifier, where it must never serve a token a fresh
// verification would refuse, nor hand out a token a caller could change for the next one.
import { base64url } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getEnv } from '@/lib/env';
import { cachedLeanVerifier, verifyLean } from '@/lib/fast-path/lean-verifier';
import { createTokenCache } from '@/lib/fast-path/token-cache';
import type { TokenVerifier, VerifiedToken } from '@/lib/session/02-tokens';

type TokenResult = Awaited<ReturnType<TokenVerifier>>;
import { createSession } from '@/lib/session/10-sessions';
import { MODES } from '@/lib/session/modes';
import { CLIENT, createTestUser } from './helpers';

const never = () => false;

describe('createTokenCache', () => {
  it('keeps at most maxEntries: the oldest go first, the newest stay', () => {
    const cache = createTokenCache<string>(3, never);
    for (const token of ['t1', 't2', 't3', 't4', 't5']) cache.set(token, `value of ${token}`, 2_000_000_000);
    expect(cache.size).toBe(3);
    expect(['t1', 't2', 't3', 't4', 't5'].map((token) => cache.get(token, 0))).toEqual([undefined, undefined, 'value of t3', 'value of t4', 'value of t5']);
  });

  it('stays bounded under a flood of new tokens', () => {
    const cache = createTokenCache<number>(100, never);
    for (let i = 0; i < 1_000; i++) cache.set(`token-${i}`, i, 2_000_000_000);
    expect(cache.size).toBe(100);
    expect(cache.get('token-899', 0)).toBeUndefined();
    expect(cache.get('token-900', 0)).toBe(900);
    expect(cache.get('token-999', 0)).toBe(999);
  });

  it('makes a token set again the newest, with its new value, so older ones go before it', () => {
    const cache = createTokenCache<string>(3, never);
    cache.set('a', 'first', 1000);
    cache.set('b', 'b', 1000);
    cache.set('c', 'c', 1000);
    // Full: setting one it already holds replaces it and evicts nothing.
    cache.set('a', 'second', 1000);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 0)).toBe('b');
    // Now b is the oldest, so the next new token pushes b out, not a.
    cache.set('d', 'd', 1000);
    expect(['a', 'b', 'c', 'd'].map((token) => cache.get(token, 0))).toEqual(['second', undefined, 'c', 'd']);
  });

  it("serves an entry until the verifier's rule says it expired, then drops it", () => {
    // The verifier's rule, with its default tolerance of 5 seconds.
    const isExpired = vi.fn((exp: number, now: number) => exp <= now - 5);
    const cache = createTokenCache<string>(10, isExpired);
    cache.set('short', 'short-lived', 100);
    cache.set('long', 'long-lived', 1000);

    expect(cache.get('short', 104)).toBe('short-lived');
    expect(isExpired).toHaveBeenLastCalledWith(100, 104);
    expect(cache.size).toBe(2);

    expect(cache.get('short', 105)).toBeUndefined();
    expect(isExpired).toHaveBeenLastCalledWith(100, 105);
    expect(cache.size).toBe(1);
    // Dropped, not hidden: asked again with an earlier clock, it is still gone.
    expect(cache.get('short', 0)).toBeUndefined();
    expect(cache.get('long', 105)).toBe('long-lived');
  });

  it.each([0, -1])('stores nothing when maxEntries is %i (the cache switched off)', (maxEntries) => {
    const cache = createTokenCache<string>(maxEntries, never);
    cache.set('a', 'a', 2_000_000_000);
    expect(cache.size).toBe(0);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const cache = createTokenCache<string>(3, never);
    cache.set('a', 'a', 1000);
    cache.set('b', 'b', 1000);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});

const RULES = Object.fromEntries(Object.entries(MODES).map(([name, mode]) => [name, mode.token]));
const verifyCached = cachedLeanVerifier(100);
const verifyToken = (token: string) => verifyCached(token, RULES);
const verifyTokenUncached = (token: string) => verifyLean(token, RULES);

function verified(result: TokenResult): VerifiedToken {
  if (!result.ok) throw new Error(`expected a verified token, got ${result.reason}`);
  return result.token;
}

describe('the lean verifier, through the cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe.each(['stateless', 'stateful'] as const)('%s token', (mode) => {
    it('verifies an issued token once, then serves the same verified token from the cache', async () => {
      const issued = await createSession(await createTestUser(), mode, CLIENT);
      const first = verified(await verifyToken(issued.token));
      expect(first.mode).toBe(mode);
      expect(await verifyTokenUncached(issued.token)).toEqual({ ok: true, token: first });
      // The very same object: nothing was verified the second time.
      expect(verified(await verifyToken(issued.token))).toBe(first);
    });

    it('stops serving a cached token the second a fresh verification would refuse it as expired', async () => {
      const issued = await createSession(await createTestUser(), mode, CLIENT);
      const first = verified(await verifyToken(issued.token));
      const { exp } = first.payload;
      const tolerance = getEnv().CLOCK_TOLERANCE_SECONDS;
      expect(tolerance).toBe(5);
      vi.useFakeTimers({ toFake: ['Date'] });

      // The last millisecond of the tolerance after exp: still valid, still from the cache.
      vi.setSystemTime((exp + tolerance) * 1000 - 1);
      expect(verified(await verifyToken(issued.token))).toBe(first);

      // A millisecond later both the cached path and a fresh verification refuse it.
      vi.setSystemTime((exp + tolerance) * 1000);
      expect(await verifyToken(issued.token)).toEqual({ ok: false, reason: 'expired' });
      expect(await verifyTokenUncached(issued.token)).toEqual({ ok: false, reason: 'expired' });

      // The entry was dropped, not hidden: with the clock turned back, the token is verified
      // afresh (a new object, equal to the first).
      vi.setSystemTime((exp - 60) * 1000);
      const again = verified(await verifyToken(issued.token));
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
    });

    it("refuses a forged token even while the genuine one is cached: the cache keys on the token's exact string", async () => {
      const issued = await createSession(await createTestUser(), mode, CLIENT);
      const genuine = verified(await verifyToken(issued.token));
      const [h, p, s] = issued.token.split('.');

      // Another signature under the same header and payload.
      const otherSignature = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      expect(await verifyToken(`${h}.${p}.${otherSignature}`)).toEqual({ ok: false, reason: 'signature' });

      // The genuine signature under an edited payload.
      const edited = base64url.encode(JSON.stringify({ ...genuine.payload, exp: genuine.payload.exp + 3600 }));
      expect(await verifyToken(`${h}.${edited}.${s}`)).toEqual({ ok: false, reason: 'signature' });

      // The genuine signature spelled another way (the spare bits of its last character): the
      // same bytes, but not the token this server wrote.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const respelled = issued.token.slice(0, -1) + alphabet[alphabet.indexOf(issued.token.at(-1)!) ^ 1];
      expect(await verifyToken(respelled)).toEqual({ ok: false, reason: 'malformed' });

      // None of that disturbed the genuine entry.
      expect(verified(await verifyToken(issued.token))).toBe(genuine);
    });
  });

  it('hands out a frozen token: a caller that edits it gets an error, and the next caller reads the original', async () => {
    const user = await createTestUser('Alice');
    const issued = await createSession(user, 'stateless', CLIENT);
    const token = verified(await verifyToken(issued.token));
    expect(token.mode).toBe('stateless');

    // Test modules are strict mode, so writing to a frozen object throws.
    expect(() => {
      token.payload.sub = 'someone-else';
    }).toThrow(TypeError);
    expect(() => {
      (token.header as { alg: string }).alg = 'none';
    }).toThrow(TypeError);
    expect(() => {
      (token as { mode: string }).mode = 'stateful';
    }).toThrow(TypeError);

    const next = verified(await verifyToken(issued.token));
    expect(next).toBe(token);
    expect(next.payload).toMatchObject({ sub: user.id, name: 'Alice', role: 'user' });
    expect(next.header).toEqual({ alg: 'HS256', typ: 'session-stateless+jwt' });
  });
});
