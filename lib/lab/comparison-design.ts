import 'server-only';
// The rows of the comparison table about the designs themselves rather than their traffic: how
// big each token is, how much code each mode's own module takes, and who else can verify a token.
// Each is still read off this server: tokens signed just now, lines counted at build time, the
// key set published right now.
import sourceStats from '@/lib/generated/source-stats.json';
import type { SessionMode } from '@/lib/session/modes';
import { agreement, type ComparisonRow } from '@/lib/lab/comparison-row';
import { COOKIE_LIMIT_BYTES, type TokenSample } from '@/lib/lab/token-anatomy';

export function sizeRow(samples: TokenSample[]): ComparisonRow {
  const bytes = (mode: SessionMode) => samples.find((s) => s.mode === mode)!.cookieBytes;
  const share = (mode: SessionMode) => `${((bytes(mode) / COOKIE_LIMIT_BYTES) * 100).toFixed(1)}% of 4,096`;
  const cell = (mode: SessionMode) => `${bytes(mode)} bytes (${share(mode)})`;
  return {
    key: 'size',
    label: 'Token size: cookie sent with every request',
    measured: { stateless: cell('stateless'), stateful: cell('stateful'), hybrid: `${bytes('hybrid')} bytes with its refresh cookie (${share('hybrid')})` },
    article: { stateless: 'Larger (a listed con)', stateful: 'Smaller', hybrid: 'Larger than stateful: the claims, a kid, and a refresh cookie' },
    agreement: agreement(true, bytes('stateless') > bytes('stateful')),
    hybridAgreement: agreement(true, bytes('hybrid') > bytes('stateful')),
    source: 'Tokens signed just now by the same code that issues real ones',
  };
}

type FileStats = { file: string; code: number };

// scripts/count-loc.ts counts stateless.ts and stateful.ts as their modes' own modules and every
// other file of lib/session as shared. Hybrid's own files are among those: they are taken out of
// the shared ones here. A build from before hybrid mode has none of them.
const HYBRID_FILES = ['lib/session/hybrid.ts', 'lib/session/signing-keys.ts'];

function hybridStats(): { files: FileStats[]; code: number } | null {
  const counted = sourceStats as { modes: Partial<Record<SessionMode, FileStats>>; shared: FileStats[] };
  const files = counted.modes.hybrid ? [counted.modes.hybrid] : counted.shared.filter((file) => HYBRID_FILES.includes(file.file));
  return files.length ? { files, code: files.reduce((sum, file) => sum + file.code, 0) } : null;
}

export function complexityRow(): ComparisonRow {
  const { modes } = sourceStats;
  const shared = sourceStats.shared.filter((file) => !HYBRID_FILES.includes(file.file));
  const sharedLines = shared.reduce((sum, file) => sum + file.code, 0);
  const hybrid = hybridStats();
  const cell = (mode: 'stateless' | 'stateful') => `${modes[mode].code} lines in ${modes[mode].file}`;
  return {
    key: 'complexity',
    label: 'Complexity: code of each mode’s own module',
    measured: {
      stateless: cell('stateless'),
      stateful: cell('stateful'),
      hybrid: hybrid ? `${hybrid.code} lines in ${hybrid.files.map((file) => file.file).join(' and ')}` : null,
    },
    article: { stateless: 'Low', stateful: 'High', hybrid: 'Highest: refresh rotation, reuse detection, key rotation' },
    // A difference of a few lines says nothing about which design is simpler.
    agreement:
      Math.abs(modes.stateful.code - modes.stateless.code) < 0.1 * Math.max(modes.stateful.code, modes.stateless.code)
        ? 'too-close'
        : agreement(true, modes.stateless.code < modes.stateful.code),
    hybridAgreement: agreement(!!hybrid, !!hybrid && hybrid.code > modes.stateful.code),
    source: `Lines of code (TypeScript's scanner, at build time, ${sourceStats.countedAt.slice(0, 10)}) of the session reference only (lib/session); the modes share the other ${shared.length} files, ${sharedLines} lines. The lab that measures them is not counted.`,
  };
}

/**
 * The article's "decentralisation" pro: other services verify the token on their own. With HS256
 * that needs the signing secret, and whoever holds it can mint tokens too; hybrid's EdDSA token
 * needs only the published public keys. The second verifier on this page shows both.
 */
export function decentralisationRow(publishedKeys: number): ComparisonRow {
  return {
    key: 'decentralisation',
    label: 'Decentralisation: can another service verify a token on its own?',
    measured: {
      stateless: 'Only where the signing secret is (HS256): whoever can verify can also mint tokens',
      stateful: 'Only where the signing secret and the session store are',
      hybrid: `Yes: EdDSA, with the ${publishedKeys} public ${publishedKeys === 1 ? 'key' : 'keys'} published at /.well-known/jwks.json`,
    },
    article: { stateless: 'Yes (a listed pro)', stateful: 'Not discussed', hybrid: 'Yes, with the published public keys (JWKS)' },
    agreement: 'disagrees',
    hybridAgreement: agreement(true, publishedKeys > 0),
    source:
      "The tokens' algorithms and the key set published now. The second verifier below holds no secret and no database: it refuses HS256 tokens ('algorithm') and accepts hybrid's.",
  };
}
