'use client';
// The "Measure whole requests" button: posts to /api/http-run, shows the streamed progress, then
// asks the server to re-render the page, which reads the stored result.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PRIMARY_BUTTON } from './button-styles';
import { readNdjson } from './ndjson';
import { followSessionEnd } from './session-ended';

type Status = { state: 'idle' } | { state: 'running'; fraction: number } | { state: 'done' } | { state: 'error'; message: string };

export function HttpRunner({ seconds }: { seconds: number }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ state: 'idle' });

  async function run() {
    if (status.state === 'running') return;
    setStatus({ state: 'running', fraction: 0 });
    try {
      const response = await fetch('/api/http-run', { method: 'POST' });
      if (await followSessionEnd(response, router)) return;
      if (!response.ok || !response.body) {
        const body = await response.json().catch(() => ({ error: 'The run could not start.' }));
        setStatus({ state: 'error', message: body.error });
        return;
      }
      await readNdjson(response, (message) => {
        if (message.type === 'progress') setStatus({ state: 'running', fraction: Number(message.fraction) });
        if (message.type === 'error') setStatus({ state: 'error', message: String(message.message) });
        if (message.type === 'done') setStatus({ state: 'done' });
      });
      router.refresh();
    } catch {
      setStatus({ state: 'error', message: 'The connection to the server was lost.' });
    }
  }

  const running = status.state === 'running';
  return (
    <div className="flex flex-wrap items-center gap-3">
      {/* aria-disabled, not disabled: the button keeps keyboard focus while the run goes on. */}
      <button type="button" onClick={run} aria-disabled={running} className={PRIMARY_BUTTON}>
        {running ? 'Measuring…' : `Measure whole requests (about ${seconds} s)`}
      </button>
      <div aria-live="polite" className="text-sm">
        {running ? (
          <label className="flex items-center gap-2">
            Sending requests
            <progress max={1} value={status.fraction} className="w-48" />
          </label>
        ) : null}
        {status.state === 'done' ? 'Finished: the line above shows this run.' : null}
        {status.state === 'error' ? <span className="text-red-700">{status.message}</span> : null}
      </div>
    </div>
  );
}
