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

/** Cards side by side (the home page), or, one level down, a full-width row each (/compare, where height is scarce). */
export function ModeSummaries({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const text = summaries();
  const modes = Object.keys(TONE) as SessionMode[];
  if (headingLevel === 3) {
    return (
      <div data-testid="mode-summaries" className="flex flex-col gap-2">
        {modes.map((mode) => (
          <section key={mode} aria-labelledby={`summary-${mode}`} className={`rounded-md border px-3 py-1.5 text-sm ${TONE[mode]}`}>
            <h3 id={`summary-${mode}`} className="inline font-semibold capitalize">
              {mode}
            </h3>
            : <p className="inline">{text[mode]}</p>
          </section>
        ))}
      </div>
    );
  }
  return (
    <div data-testid="mode-summaries" className="grid gap-4 sm:grid-cols-3">
      {modes.map((mode) => (
        <section key={mode} aria-labelledby={`summary-${mode}`} className={`rounded-lg border p-4 ${TONE[mode]}`}>
          <h2 id={`summary-${mode}`} className="mb-2 text-lg font-semibold capitalize">
            {mode}
          </h2>
          <p className="text-sm">{text[mode]}</p>
        </section>
      ))}
    </div>
  );
}
