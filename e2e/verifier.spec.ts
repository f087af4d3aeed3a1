// The second verifier (verifier/server.mjs): another service, with no secret and no database,
// verifies a hybrid access token with nothing but the keys the app publishes, and refuses a
// stateless token, which only the holder of SESSION_SECRET could check.
import { PORTS } from '../playwright.config';
import { DashboardPage } from './pages/dashboard-page';
import { expect, loginAs, sessionCookie, test } from './fixtures';

const VERIFIER = `http://127.0.0.1:${PORTS.verifier}`;

test('the second verifier accepts a hybrid access token and refuses a stateless one', async ({ page, context, account, request }) => {
  await loginAs(page, account, 'hybrid');
  const { kid } = await new DashboardPage(page).header();
  const hybrid = await request.post(`${VERIFIER}/verify`, { data: { token: (await sessionCookie(context))!.value } });
  expect(hybrid.status()).toBe(200);
  expect(await hybrid.json()).toMatchObject({ ok: true, kid, claims: { name: account.name, role: 'user' } });

  await context.clearCookies();
  await loginAs(page, account, 'stateless');
  const stateless = await request.post(`${VERIFIER}/verify`, { data: { token: (await sessionCookie(context))!.value } });
  expect(stateless.status()).toBe(401);
  expect(await stateless.json()).toMatchObject({ ok: false, reason: 'algorithm' });

  // What it knows is what the app publishes, and it learned it from the app's URL.
  const status = (await (await request.get(`${VERIFIER}/`)).json()) as { jwksUrl: string; knownKids: string[] };
  expect(status.jwksUrl).toBe(`http://localhost:${PORTS.main}/.well-known/jwks.json`);
  expect(status.knownKids).toContain(kid);
});
