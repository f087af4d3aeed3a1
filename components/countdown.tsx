'use client';
// A live mm:ss (or h:mm:ss) countdown to a Unix time in seconds.
import { useEffect, useState } from 'react';

function formatRemaining(seconds: number) {
  if (seconds <= 0) return 'expired';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

export function Countdown({ until, label }: { until: number; label?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Math.floor(Date.now() / 1000));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, []);
  const text = now === null ? '…' : formatRemaining(until - now);
  return (
    <time dateTime={new Date(until * 1000).toISOString()} aria-label={label} className="font-mono tabular-nums">
      {text}
    </time>
  );
}
