// Hybrid mode's surfaces under attack, over HTTP against the production build: access tokens
// that name a key the server did not publish, carry their own key, or pick another algorithm; a
// copied access token that tries to act or to outlive itself; a token minted for another service
// replayed as a session; the public key set; prefetches; and the refresh cookie, which must never
// crash a request or be accepted unless it is exactly one this server issued.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { expect, loginAs, refreshCookie, sessionCookie, test, REFRESH_COOKIE } from '../e2e/fixtures';
import { DevicesPage } from '../e2e/pages/devices-page';
import { LoginPage } from '../e2e/pages/login-page';
import { PORTS } from '../playwright.config';
import { cookieHeader, decode, encodeJson, expectTokenRefused, serverKey, signHs256 } from './support';

const TYP = 'session-hybrid+jwt';
const VERIFIERS = [
  { name: 'the fast path (node server.mjs: the lean verifier, its cache, the prepared read)', baseURL: `http://localhost:${PORTS.main}` },
  { name: 'the core path (next start, SESSION_FAST_PATH=0: jose, Prisma)', baseURL: `http://localhost:${PORTS.nextStart}` },
];
const attacker = generateKeyPairSync('ed25519');

for (const verifier of VERIFIERS) {
  test.describe(verifier.name, () => {
    test.use({ baseURL: verifier.baseURL });

    /** A real hybrid session's access token, and its decoded parts to doctor. */
    async function hybridToken(page: Parameters<typeof loginAs>[0], account: Parameters<typeof loginAs>[1]) {
      await loginAs(page, account, 'hybrid');
      const token = (await sessionCookie(page.context()))!.value;
      return { token, ...decode(token) };
    }

    test('a kid that is not in the published set is refused, and an attacker-made kid costs no key fetch per request', async ({ page, account, request }) => {
      const { payload } = await hybridToken(page, account);
      for (let i = 0; i < 3; i++) {
        const token = await new SignJWT(payload)
          .setProtectedHeader({ alg: 'EdDSA', typ: TYP, kid: base64url.encode(crypto.getRandomValues(new Uint8Array(16))) })
          .sign(attacker.privateKey);
        await expectTokenRefused(request, token);
      }
    });

    test('a jwk embedded in the header is refused, even with a published kid and a signature it verifies', async ({ page, account, request }) => {
      const { header, payload } = await hybridToken(page, account);
      const jwk = attacker.publicKey.export({ format: 'jwk' });
      const token = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: TYP, kid: header.kid as string, jwk }).sign(attacker.privateKey);
      await expectTokenRefused(request, token);
    });

    test('alg "none" with a kid is refused, with and without a signature', async ({ page, account, request }) => {
      const { header, payload } = await hybridToken(page, account);
      for (const signature of ['', 'c2lnbmF0dXJl']) {
        await expectTokenRefused(request, `${encodeJson({ alg: 'none', typ: TYP, kid: header.kid })}.${encodeJson(payload)}.${signature}`);
      }
    });

    test('HS256 with the server secret under the hybrid type is refused: the secret is not a hybrid key', async ({ page, account, request }) => {
      const { header, payload } = await hybridToken(page, account);
      await expectTokenRefused(request, await signHs256({ typ: TYP, kid: header.kid }, payload, serverKey()));
    });

    test('a published kid with a signature from another key is refused', async ({ page, account, request }) => {
      const { header, payload } = await hybridToken(page, account);
      await expectTokenRefused(
        request,
        await new SignJWT({ ...payload, role: 'admin' }).setProtectedHeader({ alg: 'EdDSA', typ: TYP, kid: header.kid as string }).sign(attacker.privateKey),
      );
    });
  });
}

test.describe('a copied access token without its refresh cookie', () => {
  const BASE = `http://localhost:${PORTS.main}`;

  test('reads, but cannot switch mode into a long session: refused with the reason, and the owner stays signed in', async ({
    page,
    context,
    browser,
    account,
  }) => {
    await loginAs(page, account, 'hybrid');
    const thief = await browser.newContext({ baseURL: BASE });
    await thief.addCookies([(await sessionCookie(context))!]);
    const thiefPage = await thief.newPage();
    await thiefPage.goto('/dashboard');
    await expect(thiefPage.getByRole('heading', { name: `Hello, ${account.name}` })).toBeVisible();
    await thiefPage.getByRole('button', { name: 'Switch to stateful' }).click();
    await expect(thiefPage).toHaveURL(`${BASE}/login?next=%2Fdashboard&reason=refresh-required`);
    await expect(new LoginPage(thiefPage).notice()).toHaveText(
      'That change needs this browser’s refresh token, and the request did not carry it. Please log in again.',
    );
    expect(await sessionCookie(thief)).toBeUndefined();
    await thief.close();

    // Nothing was re-issued or revoked: the owner's session is the only one, still hybrid, still signed in.
    const devices = new DevicesPage(page);
    await devices.goto();
    await expect(devices.thisDevice()).toContainText('hybrid');
    await expect(page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem')).toHaveCount(1);
  });

  test('cannot sign devices out, run the lab, or exchange itself for a service token', async ({ page, context, account, request }) => {
    await loginAs(page, account, 'hybrid');
    const cookie = cookieHeader((await sessionCookie(context))!.value);
    const refusal = { error: expect.any(String), reason: 'refresh-required' };
    const lab = await request.post('/api/lab', { headers: { cookie, origin: BASE } });
    expect([lab.status(), await lab.json()]).toEqual([401, refusal]);
    const exchange = await request.post('/api/token', {
      headers: { cookie, origin: BASE },
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', audience: 'jwt-sessions-reference:verifier' },
    });
    expect([exchange.status(), await exchange.json()]).toEqual([401, refusal]);
  });
});

test.describe('a token minted for another service', () => {
  const BASE = `http://localhost:${PORTS.main}`;
  const EXCHANGE = { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', audience: 'jwt-sessions-reference:verifier' };

  test('is refused as a session cookie here, on the API and on pages', async ({ page, context, account, request }) => {
    await loginAs(page, account, 'hybrid');
    const exchanged = await context.request.post(`${BASE}/api/token`, { form: EXCHANGE, headers: { Origin: BASE } });
    const { access_token: token } = (await exchanged.json()) as { access_token: string };
    expect(decode(token).header).toMatchObject({ alg: 'EdDSA', typ: 'service+jwt' });
    expect(decode(token).payload).toMatchObject({ aud: 'jwt-sessions-reference:verifier' });
    await expectTokenRefused(request, token);
  });

  test('is minted only for the audience this server knows, for a same-origin caller with a live session', async ({ page, context, account, request }) => {
    const anonymous = await request.post(`${BASE}/api/token`, { form: EXCHANGE, headers: { Origin: BASE } });
    expect(anonymous.status()).toBe(401);
    await loginAs(page, account, 'stateful');
    const post = (form: Record<string, string>, origin = BASE) => context.request.post(`${BASE}/api/token`, { form, headers: { Origin: origin } });
    expect((await post(EXCHANGE, 'https://evil.example')).status()).toBe(403);
    const wrongAudience = await post({ ...EXCHANGE, audience: 'jwt-sessions-reference:web' });
    expect([wrongAudience.status(), (await wrongAudience.json()).error]).toEqual([400, 'invalid_target']);
    const wrongGrant = await post({ ...EXCHANGE, grant_type: 'refresh_token' });
    expect([wrongGrant.status(), (await wrongGrant.json()).error]).toEqual([400, 'unsupported_grant_type']);
    expect((await post(EXCHANGE)).status()).toBe(200);
  });
});

test('a prefetch never rotates the refresh token: it gets 204 and no cookie, and the token is still unused', async ({ page, context, account, request }) => {
  const BASE = `http://localhost:${PORTS.main}`;
  await loginAs(page, account, 'hybrid');
  const refresh = (await refreshCookie(context))!.value;
  // No access token: any request that may renew would.
  const cookie = `${REFRESH_COOKIE}=${refresh}`;
  const prefetches: Record<string, string>[] = [{ 'Next-Router-Prefetch': '1', RSC: '1' }, { 'Sec-Purpose': 'prefetch' }];
  for (const headers of prefetches) {
    const prefetch = await request.get('/dashboard', { headers: { cookie, ...headers }, maxRedirects: 0 });
    expect(prefetch.status()).toBe(204);
    expect(prefetch.headers()['set-cookie']).toBeUndefined();
  }
  const rotation = await request.post('/api/session/refresh', { headers: { cookie, origin: BASE } });
  expect(await rotation.json()).toMatchObject({ rotated: true });
});

test('the key set holds only public Ed25519 keys, each named, and nothing private, cacheable for the lead time less its age', async ({ request }) => {
  const response = await request.get('/.well-known/jwks.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('public, max-age=30');
  expect(response.headers()['content-type']).toContain('application/json');
  const { keys } = (await response.json()) as { keys: Record<string, string>[] };
  expect(keys.length).toBeGreaterThanOrEqual(2);
  for (const key of keys) {
    expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.stringMatching(/^[\w-]{22}$/) });
  }
});

test.describe('the refresh cookie', () => {
  const HOSTILE = [
    'garbage',
    '',
    'A'.repeat(5000),
    '%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41',
    'AAAAAAAAAAAAAAAAAAAAAA', // an id without its MAC
    'AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', // well-formed, MAC forged
    '"AAAAAAAAAAAAAAAAAAAAAA"',
    '../../etc/passwd',
  ];

  test('hostile values never crash: the refresh endpoint answers 401, pages treat the visitor as anonymous', async ({ request }) => {
    for (const value of HOSTILE) {
      await test.step(JSON.stringify(value.slice(0, 30)), async () => {
        const cookie = `${REFRESH_COOKIE}=${value}`;
        const refresh = await request.post('/api/session/refresh', { headers: { cookie, origin: `http://localhost:${PORTS.main}` } });
        expect(refresh.status()).toBe(401);
        const page = await request.get('/dashboard', { headers: { cookie }, maxRedirects: 0 });
        expect(page.status()).toBe(307);
        expect(page.headers()['location']).toMatch(/^\/login\?next=%2Fdashboard/);
        expect((await request.get('/', { headers: { cookie } })).status()).toBe(200);
      });
    }
  });

  test('two refresh cookies of the name are refused rather than picked from', async ({ page, account, request }) => {
    await loginAs(page, account, 'hybrid');
    const real = (await refreshCookie(page.context()))!.value;
    const response = await request.post('/api/session/refresh', {
      headers: { cookie: `${REFRESH_COOKIE}=${real}; ${REFRESH_COOKIE}=AAAAAAAAAAAAAAAAAAAAAA`, origin: `http://localhost:${PORTS.main}` },
    });
    expect(response.status()).toBe(401);
  });

  test('another site cannot make the browser refresh (cross-origin POST is refused before the handler)', async ({ page, account, request }) => {
    await loginAs(page, account, 'hybrid');
    const real = (await refreshCookie(page.context()))!.value;
    const response = await request.post('/api/session/refresh', { headers: { cookie: `${REFRESH_COOKIE}=${real}`, origin: 'https://evil.example' } });
    expect(response.status()).toBe(403);
    // The token was not rotated by the refused request: the browser's own refresh still works.
    const own = await request.post('/api/session/refresh', {
      headers: { cookie: `${REFRESH_COOKIE}=${real}; ${cookieHeader('x')}`, origin: `http://localhost:${PORTS.main}` },
    });
    expect(own.status()).toBe(200);
  });
});
