'use client';
// The "Run benchmark" button: posts to /api/benchmark, shows the streamed progress, then asks the
// server to re-render the page, whose charts read the stored result.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PRIMARY_BUTTON } from './button-styles';
import { followSessionEnd } from './session-ended';
import { readNdjson } from './ndjson';

type Status = { state: 'idle' } | { state: 'running'; phase: string; done: number; total: number } | { state: 'done' } | { state: 'error'; message: string };

export function BenchmarkRunner({ canRun }: { canRun: boolean }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ state: 'idle' });

  async function run() {
    if (status.state === 'running') return;
    setStatus({ state: 'running', phase: 'starting', done: 0, total: 1 });
    try {
      const response = await fetch('/api/benchmark', { method: 'POST' });
      if (await followSessionEnd(response, router)) return;
      if (!response.ok || !response.body) {
        const body = await response.json().catch(() => ({ error: 'The benchmark could not start.' }));
        setStatus({ state: 'error', message: body.error });
        return;
      }
      await readNdjson(response, (message) => {
        if (message.type === 'progress')
          setStatus({ state: 'running', phase: String(message.phase), done: Number(message.done), total: Number(message.total) });
        if (message.type === 'error') setStatus({ state: 'error', message: String(message.message) });
        if (message.type === 'done') setStatus({ state: 'done' });
      });
      router.refresh();
    } catch {
      setStatus({ state: 'error', message: 'The connection to the server was lost.' });
    }
  }

  if (!canRun) return <p className="text-sm">Log in to run the benchmark on this server.</p>;
  const running = status.state === 'running';
  return (
    <div className="flex flex-col gap-2">
      {/* aria-disabled, not disabled: the button keeps keyboard focus while the benchmark runs. */}
      <button type="button" onClick={run} aria-disabled={running} className={`self-start ${PRIMARY_BUTTON}`}>
        {running ? 'Running…' : 'Run benchmark'}
      </button>
      <div aria-live="polite" className="text-sm">
        {running ? (
          <label className="flex items-center gap-2">
            Measuring {status.phase}
            <progress max={status.total} value={status.done} className="w-48" />
          </label>
        ) : null}
        {status.state === 'done' ? 'Benchmark finished; the charts below show this run.' : null}
        {status.state === 'error' ? <span className="text-red-700">{status.message}</span> : null}
      </div>
    </div>
  );
}
