// The revocation lab's words for a replayed token: a revocation and an expiry never look alike.
import { describe, expect, it } from 'vitest';
import { endedBy, labVerdict } from '@/lib/view/lab-verdict';

describe('the revocation lab verdict', () => {
  it('calls a token refused because its row was signed out revoked', () => {
    expect(labVerdict(20, endedBy('signed-out-elsewhere'), true)).toEqual({ word: 'refused: revoked', good: true });
  });

  it('calls a token refused at its exp expired, not revoked, and never shows it as a success', () => {
    expect(labVerdict(12_970, endedBy('expired'), true)).toEqual({ word: 'refused: expired, not revoked', good: false });
  });

  it('calls a token still read after its sign-out accepted, and one not yet replayed waiting', () => {
    expect(labVerdict(null, null, true)).toEqual({ word: 'accepted', good: false });
    expect(labVerdict(null, null, false)).toEqual({ word: 'waiting', good: false });
  });
});
