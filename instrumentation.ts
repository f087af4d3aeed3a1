// Runs once when the server starts: refuse to serve with a missing or weak configuration, let
// the custom server (when there is one) vouch for socket addresses, and let the lab subscribe to
// the session checks it measures.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  await import('./lib/startup-check');
  const [{ resolveClientAddressWith }, { readFrontHeaders }] = await Promise.all([import('./lib/session/client-address'), import('./lib/front-server')]);
  resolveClientAddressWith((headers) => readFrontHeaders(headers)?.clientIp);
  (await import('./lib/lab/observe')).startObservingSessions();
}
