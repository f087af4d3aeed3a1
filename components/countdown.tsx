'use client';
// A live countdown to a Unix time in seconds: mm:ss, h:mm:ss, or days and h:mm:ss (a stateful
// session's seven days read "6 days 23:59:59", not "167:59:59").
import { useEffect, useState } from 'react';

export function formatRemaining(seconds: number) {
  if (seconds <= 0) return 'expired';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (d > 0) return `${d} ${d === 1 ? 'day' : 'days'} ${h}:${mmss}`;
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
