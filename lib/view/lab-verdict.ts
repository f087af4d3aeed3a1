// What the revocation lab says about a replayed token. A refusal is either a revocation (the
// server read the signed-out row) or an expiry (the token reached its exp, which no sign-out
// brought about); the two must never look alike, or a learner concludes that stateless
// revocation works, only slower.

export type EndedBy = 'revoked' | 'expired';

/** A refusal's kind, from the API's reason: only 'expired' is the token's own end. */
export const endedBy = (reason: string | null): EndedBy => (reason === 'expired' ? 'expired' : 'revoked');

export type LabVerdict = { word: 'refused: revoked' | 'refused: expired, not revoked' | 'accepted' | 'waiting'; good: boolean };

/** The verdict on one mode's token: refused (and why), still accepted after its sign-out, or not replayed yet. */
export function labVerdict(windowMs: number | null, ended: EndedBy | null, replayed: boolean): LabVerdict {
  if (windowMs !== null && ended === 'revoked') return { word: 'refused: revoked', good: true };
  if (windowMs !== null) return { word: 'refused: expired, not revoked', good: false };
  return replayed ? { word: 'accepted', good: false } : { word: 'waiting', good: false };
}
