'use client';
// The revocation lab's button and live read-out: starts a lab, then polls its progress.
import type { LabState } from '@/lib/lab/revocation-lab';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { PRIMARY_BUTTON } from './button-styles';
import { followSessionEnd } from './session-ended';

// The JSON that /api/lab sends (a type-only import: no server code reaches the browser).
type Lab = LabState;

function ModeResult({ mode, lab }: { mode: SessionMode; lab: Lab }) {
  const attempts = lab.attempts.filter((a) => a.mode === mode);
  const last = attempts.at(-1);
  const window = lab.windowMs[mode];
  const verdict = window !== null ? 'rejected' : last ? 'accepted' : 'waiting';
  return (
    <div data-testid={`lab-${mode}`} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <p className="font-semibold">{mode}</p>
      <p>
        Replayed token:{' '}
        <strong data-testid={`lab-${mode}-verdict`} className={verdict === 'rejected' ? 'text-emerald-700' : 'text-amber-700'}>
          {verdict}
        </strong>
        {last ? ` (HTTP ${last.status} at ${(last.atMs / 1000).toFixed(2)} s, ${attempts.length} ${attempts.length === 1 ? 'replay' : 'replays'})` : null}
      </p>
      {mode === 'hybrid' ? (
        <HybridParts lab={lab} />
      ) : (
        <p>{window !== null ? `Refused ${window} ms after sign-out.` : lab.done ? 'Never refused during the lab.' : 'Still accepted after sign-out…'}</p>
      )}
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
          : `Reads until its access token expires: ${(computedWindowMs / 1000).toFixed(1)} s after sign-out (exp ${accessExpiresAt.slice(11, 19)} UTC plus the clock tolerance). Computed from the token's exp, not waited for.`}
      </p>
    </>
  );
}

export function RevocationLab({ canRun }: { canRun: boolean }) {
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

  if (!canRun) return <p className="text-sm">Log in to run the revocation lab with throwaway sessions of your own.</p>;
  const running = !!lab && !lab.done;
  return (
    <div className="flex flex-col gap-3">
      <button type="button" onClick={start} disabled={running} className={`self-start ${PRIMARY_BUTTON}`}>
        {running ? 'Replaying…' : 'Start revocation lab'}
      </button>
      <div aria-live="polite" className="grid gap-3 sm:grid-cols-3">
        {lab ? SESSION_MODES.map((mode) => <ModeResult key={mode} mode={mode} lab={lab} />) : null}
      </div>
      <p role="alert" className="min-h-5 text-sm text-red-700">
        {lab?.error ?? error}
      </p>
    </div>
  );
}
