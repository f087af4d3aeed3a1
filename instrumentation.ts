// Runs once when the server starts: refuse to serve with a missing or weak configuration, let
// the custom server (when there is one) vouch for socket addresses and turn outages into 503s, and let the lab subscribe to
// the session checks it measures.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  await import('./lib/startup-check');
  const [{ resolveClientAddressWith }, { readFrontHeaders, markRequestStoreUnavailable }, { onStoreUnavailable }] = await Promise.all([
    import('./lib/session/client-address'),
    import('./lib/front-server'),
    import('./lib/db/unavailable'),
  ]);
  resolveClientAddressWith((headers) => readFrontHeaders(headers)?.clientIp);
  onStoreUnavailable(markRequestStoreUnavailable);
  (await import('./lib/lab/observe')).startObservingSessions();
}
