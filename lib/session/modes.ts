import 'server-only';
// The modes this app runs: the one file that names them all. A copy keeps the names, the imports
// and the entries of the modes it takes (the copy manifest lists them); every other file finds the
// modes here.
import type { Mode } from './05-session';
import { stateless } from './06-stateless';
import { stateful } from './07-stateful';
import { hybrid } from './09-hybrid';

export const SESSION_MODES = ['stateless', 'stateful', 'hybrid'] as const;

export type SessionMode = (typeof SESSION_MODES)[number];

export const MODES = { stateless, stateful, hybrid } satisfies Record<SessionMode, Mode>;
