'use client';
// Hybrid mode on the dashboard: watch the access token being renewed. While the page is open it
// reloads its data when the token comes due (the proxy renews it on that very request, so the
// page shows the new jti and exp), and "Refresh now" exchanges the refresh token at once.
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { PRIMARY_BUTTON } from '@/components/button-styles';

const RenewalAnswer = { renewed: 'Renewed: a new access token, and the refresh token was rotated.', failed: 'Could not renew just now; try again shortly.' };

export function HybridRenewal({ expUnix, leewaySeconds }: { expUnix: number; leewaySeconds: number }) {
  const router = useRouter();
  const [message, setMessage] = useState('');
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const dueInMs = Math.max(0, (expUnix - leewaySeconds) * 1000 - Date.now()) + 1000;
    const timer = setTimeout(() => startTransition(() => router.refresh()), dueInMs);
    return () => clearTimeout(timer);
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
