'use client';
// Hybrid mode on the dashboard: watch the access token being renewed. While the page is in use it
// reloads its data when the token comes due (the proxy renews it on that very request, so the
// page shows the new jti and exp), and "Refresh now" exchanges the refresh token at once.
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { PRIMARY_BUTTON } from '@/components/button-styles';

const USE_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'scroll'] as const;

const RenewalAnswer = { renewed: 'Renewed: a new access token, and the refresh token was rotated.', failed: 'Could not renew just now; try again shortly.' };

export function HybridRenewal({ expUnix, leewaySeconds }: { expUnix: number; leewaySeconds: number }) {
  const router = useRouter();
  const [message, setMessage] = useState('');
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    // Only for someone using the page: a tab left open untouched must not renew its session past
    // the idle limit. Without a renewal here, the next request renews it, if it is not idle by then.
    let used = false;
    const markUsed = () => {
      used = true;
    };
    for (const event of USE_EVENTS) window.addEventListener(event, markUsed, { passive: true });
    const dueInMs = Math.max(0, (expUnix - leewaySeconds) * 1000 - Date.now()) + 1000;
    const timer = setTimeout(() => {
      if (used && document.visibilityState === 'visible') startTransition(() => router.refresh());
    }, dueInMs);
    return () => {
      clearTimeout(timer);
      for (const event of USE_EVENTS) window.removeEventListener(event, markUsed);
    };
  }, [expUnix, leewaySeconds, router]);

  function refreshNow() {
    startTransition(async () => {
      const response = await fetch('/api/session/refresh', { method: 'POST' });
      if (response.status === 401) {
        // Signed out or reused: the login page explains which, as for any refused session.
        const body = (await response.json().catch(() => ({}))) as { reason?: string };
        router.push(`/login?${new URLSearchParams({ next: '/dashboard', reason: body.reason ?? 'invalid' })}`);
        return;
      }
      setMessage(response.ok ? RenewalAnswer.renewed : RenewalAnswer.failed);
      router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" onClick={refreshNow} disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? 'Renewing…' : 'Refresh now'}
      </button>
      <span role="status" aria-live="polite" data-testid="renewal-status" className="text-sm text-slate-700">
        {message}
      </span>
    </div>
  );
}
