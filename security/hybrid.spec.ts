// Hybrid mode's new surfaces under attack, over HTTP against the production build: access tokens
// that name a key the server did not publish, carry their own key, or pick another algorithm;
// the public key set; and the refresh cookie, which must never crash a request or be accepted
// unless it is exactly one this server issued and has not rotated away.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { expect, loginAs, refreshCookie, sessionCookie, test, REFRESH_COOKIE } from '../e2e/fixtures';
import { PORTS } from '../playwright.config';
import { cookieHeader, decode, encodeJson, expectTokenRefused, serverKey, signHs256 } from './support';

const TYP = 'session-hybrid+jwt';
const VERIFIERS = [
  { name: 'cached verification (node server.mjs)', baseURL: `http://localhost:${PORTS.main}` },
  { name: 'uncached verification (next start, VERIFIED_TOKEN_CACHE_ENTRIES=0)', baseURL: `http://localhost:${PORTS.nextStart}` },
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

test('the key set holds only public Ed25519 keys, each named, and nothing private', async ({ request }) => {
  const response = await request.get('/.well-known/jwks.json');
  expect(response.status()).toBe(200);
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
    'AAAAAAAAAAAAAAAAAAAAAA', // well-formed, never issued
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
