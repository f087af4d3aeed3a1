// The speed-ups, plugged into the session core at start-up (instrumentation.ts) when
// SESSION_FAST_PATH is on (the demo's default): the lean verifier with its cache of verified
// tokens, and the prepared read of the stateful row. With it off, every request takes the core's
// own path: jose's jwtVerify and Prisma's findUnique. /compare says which one this server runs.
import { z } from 'zod';
import { settings } from '@/lib/session/01-settings';
import { setTokenVerifier } from '@/lib/session/02-tokens';
import { setSessionRowReader } from '@/lib/session/04-store';
import { cachedLeanVerifier } from './lean-verifier';
import { readPreparedSessionRow } from './prepared-read';

const on = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', ''])
  .optional()
  .transform((value) => !['0', 'false', 'off'].includes(value ?? ''));

export const getFastPathSettings = settings({
  SESSION_FAST_PATH: on,
  // Verified tokens kept per process until their exp (about 1 KB each); 0 verifies every request from scratch.
  VERIFIED_TOKEN_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
});

/** Plugs the speed-ups in, or takes them out: the core's own path. */
export function switchFastPath(on: boolean) {
  setTokenVerifier(on ? cachedLeanVerifier(getFastPathSettings().VERIFIED_TOKEN_CACHE_ENTRIES) : undefined);
  setSessionRowReader(on ? readPreparedSessionRow : undefined);
}

/** At start-up: the path SESSION_FAST_PATH asks for. */
export function installFastPath() {
  switchFastPath(getFastPathSettings().SESSION_FAST_PATH);
}
