// Runs once when the server starts: refuse to serve with a missing or weak configuration.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./lib/startup-check');
}
