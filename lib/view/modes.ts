// The order in which the demo shows the three modes, for client components too: the session code's
// list (lib/session/modes.ts) is server-only, as it holds the modes themselves. The check below
// keeps this list to the session code's names.
import type { SessionMode } from '@/lib/session/modes';

export const SESSION_MODES = ['stateless', 'stateful', 'hybrid'] as const satisfies readonly SessionMode[];

export type { SessionMode };
