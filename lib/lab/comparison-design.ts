import 'server-only';
// The rows of the comparison table about the designs themselves rather than their traffic: how
// big each token is, how much code each mode's own module takes, and who else can verify a token.
// Each is still read off this server: tokens signed just now, lines counted at build time, the
// key set published right now.
import sourceStats from '@/lib/generated/source-stats.json';
import { MODES, type SessionMode } from '@/lib/session/modes';
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

/**
 * What a copier reads, per mode: the files the copy manifest lists (scripts/count-loc.ts counts
 * them at build time), the shared core among them.
 */
export function complexityRow(): ComparisonRow {
  const { copies, core } = sourceStats;
  const cell = (mode: SessionMode) => `${copies[mode].code} lines of code in ${copies[mode].files} files (and ${copies[mode].comments} lines of comments)`;
  return {
    key: 'complexity',
    label: 'Complexity: the code you copy for each mode',
    measured: { stateless: cell('stateless'), stateful: cell('stateful'), hybrid: cell('hybrid') },
    article: { stateless: 'Low', stateful: 'High', hybrid: 'Highest: refresh rotation, reuse detection, key rotation' },
    agreement: agreement(true, copies.stateless.code < copies.stateful.code),
    hybridAgreement: agreement(true, copies.hybrid.code > copies.stateful.code),
    source: `Code lines you copy (copy-manifest.json), the shared core's ${core.code} included; all three modes: ${copies.all.code}`,
  };
}

/**
 * The article's "decentralisation" pro: other services verify the token on their own. That holds
 * only with a public-key signature: with HS256 it needs the signing secret, and whoever holds it
 * can mint tokens too; hybrid's EdDSA token needs only the published public keys. The verdict is
 * read from the algorithm each mode signs with, and the second verifier on this page shows both.
 */
export function decentralisationRow(publishedKeys: number): ComparisonRow {
  const statelessAlg = MODES.stateless.token.alg;
  const publicKey = statelessAlg === 'EdDSA';
  return {
    key: 'decentralisation',
    label: 'Decentralisation: can another service verify a token on its own?',
    measured: {
      stateless: publicKey
        ? `Yes: ${statelessAlg}, with the published public keys`
        : `Only where the signing secret is (${statelessAlg}): whoever can verify can also mint tokens`,
      stateful: 'Only where the signing secret and the session store are',
      hybrid: `Yes: EdDSA, with the ${publishedKeys} public ${publishedKeys === 1 ? 'key' : 'keys'} published at /.well-known/jwks.json`,
    },
    article: { stateless: 'Yes (a listed pro)', stateful: 'Not discussed', hybrid: 'Yes, with the published public keys (JWKS)' },
    agreement: agreement(true, publicKey),
    hybridAgreement: agreement(true, publishedKeys > 0),
    source: "The article's yes needs a public-key signature: true of hybrid's EdDSA, not of the HS256 stateless tokens here.",
  };
}
