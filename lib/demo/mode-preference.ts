import 'server-only';
// The demo's per-browser mode choice, sealed with iron-session: the browser keeps it, but can
// neither read nor forge it. It decides the mode of the next login on this browser. An app that
// runs one mode needs none of this.
import { cookies } from 'next/headers';
import { getIronSession } from 'iron-session';
import { z } from 'zod';
import { deriveKey, settings } from '@/lib/session/01-settings';
import { cookieAttributes, cookieName } from '@/lib/session/03-cookies';
import { allowedModes } from '@/lib/session/10-sessions';
import type { SessionMode } from '@/lib/session/modes';

type Preferences = { mode?: SessionMode };

async function openPreferences() {
  return getIronSession<Preferences>(await cookies(), {
    password: deriveKey('preferences-cookie').toString('hex'),
    cookieName: cookieName('prefs'),
    ttl: 365 * 24 * 3600,
    cookieOptions: cookieAttributes(),
  });
}

export type ModeSettings = { mode: SessionMode; allowed: readonly SessionMode[] };

// A new browser's mode.
const readDefaultMode = settings({ SESSION_MODE: z.string().optional() });

/** A new browser's mode: SESSION_MODE, else stateful (the article's first example) if allowed, else the first allowed one. */
export function demoDefaultMode(): SessionMode {
  const allowed = allowedModes();
  const { SESSION_MODE = allowed.includes('stateful') ? 'stateful' : allowed[0] } = readDefaultMode();
  if (!allowed.includes(SESSION_MODE as SessionMode)) throw new Error(`SESSION_MODE=${SESSION_MODE} is not in SESSION_MODES`);
  return SESSION_MODE as SessionMode;
}

/** The mode this browser will log in with: its saved choice if still allowed, else SESSION_MODE. */
export async function getModeSettings(): Promise<ModeSettings> {
  let saved: SessionMode | undefined;
  try {
    saved = (await openPreferences()).mode;
  } catch {
    saved = undefined; // a tampered or foreign cookie is just no preference
  }
  const allowed = allowedModes();
  return { mode: saved && allowed.includes(saved) ? saved : demoDefaultMode(), allowed };
}

export async function saveModePreference(mode: SessionMode) {
  const prefs = await openPreferences();
  prefs.mode = mode;
  await prefs.save();
}
