// The session modes, defined once. No imports, so client components can use it too.
export const SESSION_MODES = ['stateless', 'stateful'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
