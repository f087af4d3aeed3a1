'use client';
// The revocation lab's button and live read-out: starts a lab, then polls its progress. Each mode's
// card leads with its real window under this server's settings; the lab's short tokens replay
// that window, and a token refused at its exp says "expired, not revoked".
import type { LabState } from '@/lib/lab/revocation-lab';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { PRIMARY_BUTTON } from './button-styles';
import { followSessionEnd } from './session-ended';
import { labVerdict } from '@/lib/view/lab-verdict';

// The JSON that /api/lab sends (a type-only import: no server code reaches the browser).
type Lab = LabState;

/** Each mode's revocation window on this server, with its real settings (the lab's tokens are shorter). */
export type RealWindows = { stateless: string; hybrid: string };

function RealWindow({ mode, windows }: { mode: SessionMode; windows: RealWindows }) {
  const text = {
    stateful: 'the very next request: the row is read on each one.',
    stateless: `up to ${windows.stateless}, the token's whole lifetime: nothing can revoke it for reads.`,
    hybrid: `up to ${windows.hybrid}, one access token's lifetime; its refresh is refused at once.`,
  }[mode];
  return (
    <p data-testid={`lab-${mode}-real-window`} className="font-medium">
      Real window on this server: {text}
    </p>
  );
}

/** What this lab's replays showed, in words that never dress an expiry up as a revocation. */
function Outcome({ mode, lab, window }: { mode: SessionMode; lab: Lab; window: number | null }) {
  if (window === null) return <p>{lab.done ? 'Never refused during the lab.' : 'Still accepted after sign-out…'}</p>;
  if (lab.endedBy[mode] === 'revoked') return <p>Refused {window} ms after sign-out: revoked.</p>;
  return (
    <p>
      Refused {(window / 1000).toFixed(2)} s after sign-out, when the lab&apos;s {lab.ttlSeconds}-second token expired (plus the clock tolerance). It was never
      revoked: a real token here would read on the same way, for its whole lifetime.
    </p>
  );
}

/** A mode's card: its real window always, and this lab's replays once one runs. */
function ModeResult({ mode, lab, windows }: { mode: SessionMode; lab: Lab | null; windows: RealWindows }) {
  if (!lab)
    return (
      <div data-testid={`lab-${mode}`} className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <p className="font-semibold">{mode}</p>
        <RealWindow mode={mode} windows={windows} />
      </div>
    );
  const attempts = lab.attempts.filter((a) => a.mode === mode);
  const last = attempts.at(-1);
  const window = lab.windowMs[mode];
  const verdict = labVerdict(window, lab.endedBy[mode], !!last);
  return (
    <div data-testid={`lab-${mode}`} className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <p className="font-semibold">{mode}</p>
      <RealWindow mode={mode} windows={windows} />
      <p>
        This lab&apos;s replayed token:{' '}
        <strong data-testid={`lab-${mode}-verdict`} className={verdict.good ? 'text-emerald-700' : 'text-amber-800'}>
          {verdict.word}
        </strong>
        {last ? ` (HTTP ${last.status} at ${(last.atMs / 1000).toFixed(2)} s, ${attempts.length} ${attempts.length === 1 ? 'replay' : 'replays'})` : null}
      </p>
      {mode === 'hybrid' ? <HybridParts lab={lab} /> : <Outcome mode={mode} lab={lab} window={window} />}
    </div>
  );
}

/** Hybrid's access token reads on; its refresh token is refused at once; the window comes from the token's exp. */
function HybridParts({ lab }: { lab: Lab }) {
  const { refresh, computedWindowMs, accessExpiresAt } = lab.hybrid;
  const measured = lab.windowMs.hybrid;
  return (
    <>
      <p>
        Refresh with its refresh token:{' '}
        <strong data-testid="lab-hybrid-refresh" className={refresh?.refusedWith ? 'text-emerald-700' : 'text-amber-700'}>
          {!refresh ? 'trying…' : refresh.refusedWith ? 'refused' : 'accepted'}
        </strong>
        {refresh?.refusedWith ? ` (${refresh.refusedWith}, ${refresh.atMs} ms after sign-out)` : null}
      </p>
      <p data-testid="lab-hybrid-window">
        {measured !== null
          ? `Refused ${measured} ms after sign-out.`
          : `Reads until its access token expires (an expiry that no sign-out can bring forward): ${(computedWindowMs / 1000).toFixed(1)} s after sign-out (exp ${accessExpiresAt.slice(11, 19)} UTC plus the clock tolerance). Computed from the token's exp, not waited for.`}
      </p>
    </>
  );
}

export function RevocationLab({ canRun, windows }: { canRun: boolean; windows: RealWindows }) {
  const router = useRouter();
  const [lab, setLab] = useState<Lab | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!lab || lab.done) return;
    const timer = setTimeout(async () => {
      const response = await fetch(`/api/lab/${lab.id}`, { cache: 'no-store' });
      if (!response.ok) return setError('Lost track of the lab.');
      const next: Lab = await response.json();
      setLab(next);
      if (next.done) {
        setError(null); // a refused second start is moot once this lab is over
        router.refresh();
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [lab, router]);

  async function start() {
    if (lab && !lab.done) return;
    setError(null);
    const response = await fetch('/api/lab', { method: 'POST' });
    if (await followSessionEnd(response, router)) return;
    if (!response.ok) {
      // The server says why (one lab at a time per user; a signed-out session cannot start one).
      const body: { error?: string } | null = await response.json().catch(() => null);
      return setError(body?.error ?? 'The lab could not start.');
    }
    setLab(await response.json());
  }

  const running = !!lab && !lab.done;
  return (
    <div className="flex flex-col gap-3">
      {canRun ? (
        // aria-disabled, not disabled: the button keeps keyboard focus while the lab runs.
        <button type="button" onClick={start} aria-disabled={running} className={`self-start ${PRIMARY_BUTTON}`}>
          {running ? 'Replaying…' : 'Start revocation lab'}
        </button>
      ) : (
        <p className="text-sm">Log in to run the revocation lab with throwaway sessions of your own.</p>
      )}
      {/* One short line is announced as the lab starts and ends; the cards change several times a second. */}
      <p role="status" data-testid="lab-status" className="text-sm">
        {lab ? (lab.done ? 'Lab finished: the replays are over, the results are below.' : 'Lab running: replaying the signed-out tokens…') : null}
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        {SESSION_MODES.map((mode) => (
          <ModeResult key={mode} mode={mode} lab={lab} windows={windows} />
        ))}
      </div>
      <p role="alert" className="min-h-5 text-sm text-red-700">
        {lab?.error ?? error}
      </p>
    </div>
  );
}
