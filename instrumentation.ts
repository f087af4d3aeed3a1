// Runs once when the server starts: refuse to serve with a missing or weak configuration, plug the
// speed-ups into the session code (SESSION_FAST_PATH), let the custom server (when there is one)
// turn outages into 503s, and let the lab trace the session checks it measures.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  await import('./lib/startup-check');
  const [{ markRequestStoreUnavailable }, { onStoreUnavailable }, { installFastPath }] = await Promise.all([
    import('./lib/front-server'),
    import('./lib/db/unavailable'),
    import('./lib/fast-path/install'),
  ]);
  onStoreUnavailable(markRequestStoreUnavailable);
  installFastPath();
  (await import('./lib/lab/observe')).startObservingSessions();
}
