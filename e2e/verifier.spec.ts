// The second verifier (verifier/server.mjs): another service, with no secret and no database,
// verifies a token the app minted for it by a token exchange, with nothing but the keys the app
// publishes; it refuses the app's session tokens, and the app refuses its tokens as sessions.
import { PORTS } from '../playwright.config';
import { expect, loginAs, sessionCookie, test, SESSION_COOKIE } from './fixtures';

const VERIFIER = `http://127.0.0.1:${PORTS.verifier}`;
const BASE = `http://localhost:${PORTS.main}`;
const EXCHANGE = { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', audience: 'jwt-sessions-reference:verifier' };

test('a session exchanged for a verifier token passes the verifier; the session token itself passes nowhere but here', async ({
  page,
  context,
  account,
  request,
}) => {
  await loginAs(page, account, 'hybrid');
  const exchanged = await context.request.post(`${BASE}/api/token`, { form: EXCHANGE, headers: { Origin: BASE } });
  expect(exchanged.status()).toBe(200);
  const answer = (await exchanged.json()) as { access_token: string; issued_token_type: string; token_type: string; expires_in: number };
  expect(answer).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:jwt', token_type: 'Bearer' });
  expect(answer.expires_in).toBeGreaterThan(50);
  expect(answer.expires_in).toBeLessThanOrEqual(60);

  const accepted = await request.post(`${VERIFIER}/verify`, { data: { token: answer.access_token } });
  expect(accepted.status()).toBe(200);
  expect(await accepted.json()).toMatchObject({ ok: true, claims: { name: account.name, role: 'user' } });

  // The session cookie is for this app alone: the verifier refuses it by its type.
  const session = await request.post(`${VERIFIER}/verify`, { data: { token: (await sessionCookie(context))!.value } });
  expect(session.status()).toBe(401);
  expect(await session.json()).toMatchObject({ ok: false, reason: 'type' });
  // And a stateless (HS256) one by its algorithm.
  await context.clearCookies();
  await loginAs(page, account, 'stateless');
  const stateless = await request.post(`${VERIFIER}/verify`, { data: { token: (await sessionCookie(context))!.value } });
  expect(await stateless.json()).toMatchObject({ ok: false, reason: 'algorithm' });

  // What it knows is what the app publishes, and it learned it from the app's URL.
  const status = (await (await request.get(`${VERIFIER}/`)).json()) as { jwksUrl: string; knownKids: string[] };
  expect(status.jwksUrl).toBe(`http://localhost:${PORTS.main}/.well-known/jwks.json`);
  expect(status.knownKids).toContain((await accepted.json()).kid);

  // The exchanged token is no session here.
  const replayed = await request.get(`${BASE}/api/session`, { headers: { cookie: `${SESSION_COOKIE}=${answer.access_token}` } });
  expect(replayed.status()).toBe(401);
  expect(await replayed.json()).toEqual({ error: 'Not signed in', reason: 'invalid' });
});
