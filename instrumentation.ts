// Runs once when the server starts: refuse to serve with a missing or weak configuration, then
// let the lab subscribe to the session checks it measures.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  await import('./lib/startup-check');
  (await import('./lib/lab/observe')).startObservingSessions();
}
