import 'server-only';
// The per-browser mode preference, sealed with iron-session: the browser keeps it, but can
// neither read nor forge it. It decides the mode of the next login on this browser.
import { getEnv } from '@/lib/env';
import type { SessionMode } from '@/lib/session/modes';
import { getPreferencesCookie } from '@/lib/session/cookie';
import { getPreferencesPassword } from '@/lib/session/keys';
import { openSealedCookie } from '@/lib/session/sealed-cookie';

type Preferences = { mode?: SessionMode };

function openPreferences() {
  return openSealedCookie<Preferences>(getPreferencesCookie(), getPreferencesPassword());
}

export type ModeSettings = { mode: SessionMode; allowed: readonly SessionMode[] };

/** The mode this browser will log in with: its saved choice if still allowed, else SESSION_MODE. */
export async function getModeSettings(): Promise<ModeSettings> {
  const env = getEnv();
  let saved: SessionMode | undefined;
  try {
    saved = (await openPreferences()).mode;
  } catch {
    saved = undefined; // a tampered or foreign cookie is just no preference
  }
  const mode = saved && env.SESSION_MODES.includes(saved) ? saved : env.SESSION_MODE;
  return { mode, allowed: env.SESSION_MODES };
}

export async function saveModePreference(mode: SessionMode) {
  const prefs = await openPreferences();
  prefs.mode = mode;
  await prefs.save();
}
