// The demo's environment: what the demo and the lab read (the database, the cluster, the second
// verifier), validated with zod like the session code's own settings, and every setting in one
// object for the pages that show them. The session code reads its settings itself (each file of
// lib/session declares its own); nothing in it imports this file.
import { z } from 'zod';
import { getDatabaseSettings } from '@/lib/db/client';
import { getFastPathSettings } from '@/lib/fast-path/install';
import { getSettings, settings, shared } from '@/lib/session/01-settings';
import { getHybridSettings } from '@/lib/session/08-hybrid-keys';
import { demoDefaultMode } from '@/lib/demo/mode-preference';
import { allowedModes } from '@/lib/session/10-sessions';
import { MODES } from '@/lib/session/modes';
import { getFreshSignInSettings } from '@/lib/session/hardening/fresh-sign-in';
import { getThrottleSettings } from '@/lib/session/hardening/throttle';
import { getServiceTokenSettings } from '@/lib/session/service-token';

const getDemoSettings = settings({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Shown on every page, so a visitor behind the cluster's front door sees who answered.
  INSTANCE_NAME: z
    .string()
    .regex(/^[\w.-]{0,32}$/, 'INSTANCE_NAME may hold only letters, digits, ".", "-" and "_" (at most 32)')
    .default(''),
  // Set by `npm run demo:cluster`: how many instances share the database, and where the
  // supervisor's outage drill listens (loopback, with a random token).
  CLUSTER_INSTANCES: z.coerce.number().int().min(1).max(8).default(1),
  CLUSTER_CONTROL_URL: z.url({ protocol: /^http$/ }).optional(),
  CLUSTER_CONTROL_TOKEN: z.string().min(16).optional(),
  CLUSTER_FRONT_DOOR_URL: z.url({ protocol: /^http$/ }).optional(),
  // The second verifier (verifier/server.mjs), which /compare asks to check a token minted for it.
  VERIFIER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3010'),
  // The rounds of one second in /compare's short whole-request run (after a 2 s warm-up).
  LAB_HTTP_RUN_ROUNDS: z.coerce.number().int().min(1).max(60).default(8),
});

/** Every setting, the session code's and the demo's, checked: throws with every problem listed. */
export function getEnv() {
  return {
    ...getSettings(),
    ...MODES.stateless.settings(),
    ...MODES.stateful.settings(),
    ...getHybridSettings(),
    ...getServiceTokenSettings(),
    ...getThrottleSettings(),
    ...getFreshSignInSettings(),
    ...getFastPathSettings(),
    ...getDatabaseSettings(),
    ...getDemoSettings(),
    SESSION_MODES: allowedModes(),
    SESSION_MODE: demoDefaultMode(),
  };
}

/** For tests that change process.env between cases: every group of settings is read again. */
export function resetEnvForTests() {
  shared('settings-version', () => ({ current: 0 })).current++;
}
