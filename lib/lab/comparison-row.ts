// One row of the comparison table, and how a row judges. Shared by the rows measured live
// (comparison.ts) and the rows about the designs themselves (comparison-design.ts).
import type { SessionMode } from '@/lib/session/modes';

/** 'too-few': not enough samples to judge; 'too-close': measured, but the spreads overlap. */
export type Agreement = 'agrees' | 'disagrees' | 'too-close' | 'too-few' | 'unmeasured';

export type ComparisonRow = {
  key: 'performance' | 'scalability' | 'revocation' | 'active-users' | 'size' | 'complexity' | 'decentralisation' | 'infrastructure';
  label: string;
  measured: Record<SessionMode, string | null>;
  /**
   * The article's word for stateless and stateful. It does not rate hybrid (it only mentions
   * "short token lifetimes (with refresh tokens)"), so hybrid's entry is what the design promises.
   */
  article: Record<SessionMode, string>;
  /** Whether the measurements bear out the article's stateless-against-stateful claim. */
  agreement: Agreement;
  /** Whether hybrid measured what its entry in `article` promises. */
  hybridAgreement: Agreement;
  source: string;
};

export function agreement(measured: boolean, holds: boolean): Agreement {
  if (!measured) return 'unmeasured';
  return holds ? 'agrees' : 'disagrees';
}
