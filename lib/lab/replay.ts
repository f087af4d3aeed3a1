import 'server-only';
// One request with a session token over real HTTP, through the proxy and the data-access layer
// like any browser's. node:http rather than fetch: Next patches fetch for its request-scoped
// cache, and the labs outlive the request that started them.
import http from 'node:http';
import { sessionCookieName } from '@/lib/session/03-cookies';
import { refreshCookieName } from '@/lib/session/09-hybrid';

/** `reason`: the refusal's reason from a JSON answer (`expired`, `signed-out-elsewhere`, …), else null. */
export type Replay = { status: number; servedBy: string | null; reason: string | null };

function reasonOf(body: string) {
  try {
    const { reason } = JSON.parse(body) as { reason?: unknown };
    return typeof reason === 'string' ? reason : null;
  } catch {
    return null;
  }
}

function send(url: string, options: http.RequestOptions, body = ''): Promise<Replay> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { ...options, timeout: 5000 }, (response) => {
      const servedBy = response.headers['x-served-by'];
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, servedBy: typeof servedBy === 'string' ? servedBy : null, reason: reasonOf(body) }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('replay timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/** This server itself, over loopback: where the labs on a single server send their requests. */
export const selfOrigin = () => `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export function replayToken(origin: string, token: string, path = '/api/session'): Promise<Replay> {
  return send(`${origin}${path}`, { headers: { cookie: `${sessionCookieName()}=${token}` } });
}

/**
 * Hybrid's explicit refresh, as the dashboard's script sends it: a POST with the refresh cookie
 * (and an Origin, which every state-changing request needs). A 200 rotates the refresh token.
 */
export function postRefresh(origin: string, refreshToken: string): Promise<Replay> {
  return send(`${origin}/api/session/refresh`, {
    method: 'POST',
    headers: { cookie: `${refreshCookieName()}=${refreshToken}`, origin: new URL(origin).origin, 'content-length': '0' },
  });
}

/**
 * An act on the session's behalf: a token exchange (POST /api/token), which authorises a write, so
 * it reads the session's row (and for hybrid needs the refresh cookie). `cookieHeader`: every
 * cookie the browser would send.
 */
export function postTokenExchange(origin: string, cookieHeader: string, audience: string): Promise<Replay> {
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', audience }).toString();
  return send(
    `${origin}/api/token`,
    {
      method: 'POST',
      headers: {
        cookie: cookieHeader,
        origin: new URL(origin).origin,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
      },
    },
    body,
  );
}
