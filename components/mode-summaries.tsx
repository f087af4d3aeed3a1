// The three modes in a paragraph each: the same words on the home page and on /compare.
import { getEnv } from '@/lib/env';
import { formatDuration } from '@/lib/view/format';
import type { SessionMode } from '@/lib/view/modes';

const TONE: Record<SessionMode, string> = {
  stateless: 'border-amber-200 bg-amber-50',
  stateful: 'border-emerald-200 bg-emerald-50',
  hybrid: 'border-sky-200 bg-sky-50',
};

function summaries(): Record<SessionMode, string> {
  const { STATELESS_TOKEN_TTL_SECONDS, HYBRID_ACCESS_TTL_SECONDS } = getEnv();
  return {
    stateless: `Your name, role and expiry live inside the signed token. The server checks the signature and trusts what it reads, without asking a database. Fast and simple, but a token cannot be taken back before it expires (here, ${formatDuration(STATELESS_TOKEN_TTL_SECONDS)} after login).`,
    stateful:
      'The token carries only a random session id. On every request the server checks the signature and then looks the session up in its table. One query more per request, but signing a device out takes effect at once.',
    hybrid: `What most identity providers ship: a short access token (here ${formatDuration(HYBRID_ACCESS_TTL_SECONDS)}), signed with Ed25519 and checked like a stateless one, and a rotating refresh token checked against the session's row once per access token. A signed-out device reads on for at most one access token.`,
  };
}

export function ModeSummaries({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const Heading = `h${headingLevel}` as const;
  const text = summaries();
  return (
    <div data-testid="mode-summaries" className="grid gap-4 sm:grid-cols-3">
      {(Object.keys(TONE) as SessionMode[]).map((mode) => (
        <section key={mode} aria-labelledby={`summary-${mode}`} className={`rounded-lg border ${headingLevel === 2 ? 'p-4' : 'p-3'} ${TONE[mode]}`}>
          <Heading id={`summary-${mode}`} className={`font-semibold capitalize ${headingLevel === 2 ? 'mb-2 text-lg' : 'mb-1'}`}>
            {mode}
          </Heading>
          <p className="text-sm">{text[mode]}</p>
        </section>
      ))}
    </div>
  );
}
