'use client';
// A page's script learned from a 401 that its session ended (the server already cleared the
// cookie): go to /login with the server's reason, and back here afterwards. The login page shows
// only the notices it knows, so the reason cannot inject text.
type Router = { push: (href: string) => void };

/** True if the response was a 401 and the browser is on its way to /login. */
export async function followSessionEnd(response: Response, router: Router) {
  if (response.status !== 401) return false;
  const body: { reason?: unknown } | null = await response.json().catch(() => null);
  const query = new URLSearchParams({ next: window.location.pathname });
  if (typeof body?.reason === 'string') query.set('reason', body.reason);
  router.push(`/login?${query}`);
  return true;
}
