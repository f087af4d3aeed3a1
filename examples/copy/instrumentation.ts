// Yours: at start-up, every session setting is read and checked, so a bad one stops the server
// before it serves a request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { checkSettings } = await import('@/lib/session/10-sessions');
  checkSettings();
}
