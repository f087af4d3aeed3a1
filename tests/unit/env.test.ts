// Start-up configuration: a missing, short, low-entropy or well-known secret is refused, and
// the mode settings must agree with each other.
import { afterEach, describe, expect, it } from 'vitest';
import { getEnv, resetEnvForTests } from '@/lib/env';

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

function parseWith(overrides: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvForTests();
  return getEnv;
}

describe('getEnv', () => {
  it.each([
    ['missing', undefined, /SESSION_SECRET is required/],
    ['shorter than 32 bytes', 'Ab3$kL9#mQ2@xZ7!', /at least 32 bytes/],
    ['low-entropy', 'a'.repeat(64), /low-entropy/],
    ['a well-known weak secret', 'your-256-bit-secret-0123456789ABCDEFGH', /well-known weak secret/],
  ])('refuses a secret that is %s', (_name, secret, message) => {
    expect(parseWith({ SESSION_SECRET: secret })).toThrow(message);
  });

  it('accepts a strong secret and applies the defaults', () => {
    const env = parseWith({ SESSION_SECRET: 'qX7-vN2pL9sD4kF8hJ3mB6wZ1rT5yC0eG', SESSION_MODES: undefined, SESSION_MODE: undefined })();
    expect(env).toMatchObject({ SESSION_MODE: 'stateful', SESSION_MODES: ['stateless', 'stateful', 'hybrid'], STATELESS_TOKEN_TTL_SECONDS: 900 });
  });

  it('refuses a default mode that SESSION_MODES forbids, and unknown modes', () => {
    expect(parseWith({ SESSION_MODES: 'stateless', SESSION_MODE: 'stateful' })).toThrow(/not in SESSION_MODES/);
    expect(parseWith({ SESSION_MODES: 'stateless,sticky', SESSION_MODE: 'stateless' })).toThrow(/SESSION_MODES/);
  });

  it('refuses nonsense numbers', () => {
    expect(parseWith({ STATELESS_TOKEN_TTL_SECONDS: 'soon' })).toThrow(/STATELESS_TOKEN_TTL_SECONDS/);
    expect(parseWith({ SESSION_IDLE_TIMEOUT_SECONDS: '-5' })).toThrow(/SESSION_IDLE_TIMEOUT_SECONDS/);
  });

  it('refuses a hybrid refresh leeway as long as the access token, which would refresh on every request', () => {
    expect(parseWith({ HYBRID_ACCESS_TTL_SECONDS: '30', HYBRID_REFRESH_LEEWAY_SECONDS: '30' })).toThrow(/must be less than HYBRID_ACCESS_TTL_SECONDS/);
    expect(parseWith({ HYBRID_ACCESS_TTL_SECONDS: '30', HYBRID_REFRESH_LEEWAY_SECONDS: '10' })()).toMatchObject({ HYBRID_ACCESS_TTL_SECONDS: 30 });
  });

  it.each([
    ['unset', undefined, 0],
    ['none', '0', 0],
    ['one proxy', '1', 1],
    ['a count of proxies', '2', 2],
  ])('reads TRUST_PROXY %s as %i hops', (_story, value, hops) => {
    expect(parseWith({ TRUST_PROXY: value })().TRUST_PROXY).toBe(hops);
  });

  it('refuses a TRUST_PROXY that is not a count of proxies', () => {
    expect(parseWith({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY must be the number of proxies/);
    expect(parseWith({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY must be the number of proxies/);
  });
});
