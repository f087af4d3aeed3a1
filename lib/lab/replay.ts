import 'server-only';
// One request with a session token over real HTTP, through the proxy and the data-access layer
// like any browser's. node:http rather than fetch: Next patches fetch for its request-scoped
// cache, and the labs outlive the request that started them.
import http from 'node:http';
import { getSessionCookieName } from '@/lib/session/cookie';

export type Replay = { status: number; servedBy: string | null };

export function replayToken(origin: string, token: string, path = '/api/session'): Promise<Replay> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${origin}${path}`, { headers: { cookie: `${getSessionCookieName()}=${token}` }, timeout: 5000 }, (response) => {
      response.resume();
      const servedBy = response.headers['x-served-by'];
      resolve({ status: response.statusCode ?? 0, servedBy: typeof servedBy === 'string' ? servedBy : null });
    });
    request.on('timeout', () => request.destroy(new Error('replay timed out')));
    request.on('error', reject);
  });
}
