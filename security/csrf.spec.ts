// Cross-site request forgery: every server action of the build (read from Next's manifest, so a
// new action is covered the day it is added) and every state-changing route handler, posted with
// the victim's cookie from a foreign Origin, from "null" (sandboxed frames, file: pages), and with
// no Origin at all. Each gets 403 before anything runs, and the victim's session is untouched.
import { expect, sessionCookie, test } from '../e2e/fixtures';
import { cookieHeader, serverActions } from './support';

const ROUTE_HANDLERS = ['/api/lab', '/api/benchmark', '/api/http-run', '/api/drill', '/api/token', '/api/session/refresh'];

const SENDERS: { name: string; headers: Record<string, string> }[] = [
  { name: 'a foreign Origin', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } },
  { name: 'Origin: null', headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } },
  { name: 'no Origin, marked cross-site', headers: { 'sec-fetch-site': 'cross-site' } },
  { name: 'no Origin and no Sec-Fetch-Site', headers: {} },
];

test('every server action refuses a cross-site post with 403, and nothing changes', async ({ persona, request }) => {
  const page = await persona.signedInPage('stateful');
  const victim = cookieHeader((await sessionCookie(page.context()))!.value);
  const actions = serverActions();
  expect(actions.map((action) => action.name).sort()).toEqual(
    [
      'changePassword',
      'checkWithSecondVerifier',
      'login',
      'logout',
      'rotateKeys',
      'signOutDevice',
      'signOutEverywhere',
      'signOutOtherDevices',
      'signOutStolenSession',
      'signup',
      'stealThisSession',
      'switchMode',
    ].sort(),
  );
  const results: { request: string; status: number }[] = [];
  for (const action of actions) {
    for (const sender of SENDERS) {
      const response = await request.post(action.page, {
        headers: { ...sender.headers, cookie: victim, 'next-action': action.id, 'content-type': 'text/plain;charset=UTF-8' },
        data: '[]',
        maxRedirects: 0,
      });
      results.push({ request: `${action.name} from ${sender.name}`, status: response.status() });
    }
  }
  expect(results).toEqual(results.map(({ request: name }) => ({ request: name, status: 403 })));
  // Among them were "sign out everywhere", "log out" and "switch mode": the session is as it was.
  const after = await request.get('/api/session', { headers: { cookie: victim } });
  expect(after.status()).toBe(200);
  expect(await after.json()).toMatchObject({ mode: 'stateful', user: { name: persona.account.name } });
});

test('every state-changing route handler refuses a cross-site post with 403', async ({ persona, request }) => {
  const page = await persona.signedInPage('stateful');
  const victim = cookieHeader((await sessionCookie(page.context()))!.value);
  const results: { request: string; status: number; body: string }[] = [];
  for (const path of ROUTE_HANDLERS) {
    for (const sender of SENDERS) {
      const response = await request.post(path, { headers: { ...sender.headers, cookie: victim }, maxRedirects: 0 });
      results.push({ request: `POST ${path} from ${sender.name}`, status: response.status(), body: await response.text() });
    }
  }
  expect(results).toEqual(results.map(({ request: name }) => ({ request: name, status: 403, body: expect.stringContaining('Cross-origin request refused') })));
});
