// The bare route `npm run bench` measures this app against: the same path and the same anonymous
// answer as the app's GET /api/session (a 401 with a JSON body), in a Next.js app with nothing
// else (no proxy, no instrumentation, no custom server).
export function GET() {
  return Response.json({ error: 'Not signed in' }, { status: 401, headers: { 'Cache-Control': 'no-store' } });
}
