'use client';
// A page's script learned from a 401 that its session ended (the server already cleared the
// cookie): go to /login with the server's reason, and back here afterwards.
import { loginPath } from '@/lib/session/safe-redirect';
import { isNotice } from '@/lib/session/reasons';

type Router = { push: (href: string) => void };

/** True if the response was a 401 and the browser is on its way to /login. */
export async function followSessionEnd(response: Response, router: Router) {
  if (response.status !== 401) return false;
  const body: { reason?: unknown } | null = await response.json().catch(() => null);
  router.push(loginPath({ next: window.location.pathname, reason: isNotice(body?.reason) ? body.reason : undefined }));
  return true;
}
