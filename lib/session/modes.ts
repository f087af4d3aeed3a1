// The session modes, defined once. No imports, so client components can use it too.
// - stateless: one long-lived signed token, no lookup; revocation waits for exp.
// - stateful: a token naming a row, read on every request; revocation is immediate.
// - hybrid: a short signed access token (no lookup) plus a rotating refresh token checked against
//   its row once per refresh; revocation waits at most one access-token lifetime.
export const SESSION_MODES = ['stateless', 'stateful', 'hybrid'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
