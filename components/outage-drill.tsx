'use client';
// The outage drill's button: the request takes a few seconds (the database is down for three of
// them), then the page re-renders with the stored result.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PRIMARY_BUTTON } from './button-styles';
import { followSessionEnd } from './session-ended';

type Status = { state: 'idle' } | { state: 'running' } | { state: 'done' } | { state: 'error'; message: string };

/** `simulated`: this server fails its own queries for the outage instead of stopping a database. */
export function OutageDrill({ outageSeconds, simulated }: { outageSeconds: number; simulated: boolean }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ state: 'idle' });

  async function run() {
    if (status.state === 'running') return;
    setStatus({ state: 'running' });
    try {
      const response = await fetch('/api/drill', { method: 'POST' });
      if (await followSessionEnd(response, router)) return;
      if (!response.ok) {
        const body = await response.json().catch(() => ({ error: 'The drill could not run.' }));
        setStatus({ state: 'error', message: body.error });
        return;
      }
      setStatus({ state: 'done' });
      router.refresh();
    } catch {
      setStatus({ state: 'error', message: 'The connection to the server was lost.' });
    }
  }

  const running = status.state === 'running';
  return (
    <div className="flex flex-col gap-2">
      {/* aria-disabled, not disabled: the button keeps keyboard focus while the drill runs. */}
      <button type="button" onClick={run} aria-disabled={running} className={`self-start ${PRIMARY_BUTTON}`}>
        {running
          ? `Database ${simulated ? 'away (simulated)' : 'stopped'}, measuring…`
          : simulated
            ? `Simulate a ${outageSeconds} s database outage and measure`
            : `Stop the database for ${outageSeconds} s and measure`}
      </button>
      <p aria-live="polite" className="text-sm">
        {status.state === 'done' ? 'Drill finished; the database is back. The result is below.' : null}
        {status.state === 'error' ? <span className="text-red-700">{status.message}</span> : null}
      </p>
    </div>
  );
}
