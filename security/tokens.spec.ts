// Forged and doctored tokens, over HTTP against the production build. Every one is refused by the
// protected endpoint (401, the cookie cleared, no user data) and by a protected page (a redirect to
// login), in both modes. Tokens signed with the server's own key (what a stolen SESSION_SECRET
// would allow) show that the claim checks hold even when the signature passes.
//
// Every attack runs against both verification paths: the default server on the fast path, where a
// token the proxy verified is taken from the cache of verified tokens by the data-access layer (a
// doctored token is a new key, verified from scratch by the lean verifier), and `next start` on the
// session code's own path (SESSION_FAST_PATH=0), where jose's jwtVerify checks every token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, base64url } from 'jose';
import { MODES, expect, loginAs, sessionCookie, test } from '../e2e/fixtures';
import { PORTS } from '../playwright.config';
import { TYP, decode, edited, encodeJson, expectTokenRefused, serverKey, signHs256, statelessClaims } from './support';

const VERIFIERS = [
  { name: 'the fast path (node server.mjs: the lean verifier, its cache, the prepared read)', baseURL: `http://localhost:${PORTS.main}` },
  { name: 'the core path (next start, SESSION_FAST_PATH=0: jose, Prisma)', baseURL: `http://localhost:${PORTS.nextStart}` },
];

for (const verifier of VERIFIERS) {
  test.describe(verifier.name, () => {
    test.use({ baseURL: verifier.baseURL });

    test.describe('forged tokens', () => {
      test('alg "none", in every spelling, with and without a signature', async ({ request }) => {
        for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
          for (const signature of ['', 'c2lnbmF0dXJl']) {
            const token = `${encodeJson({ alg, typ: TYP.stateless })}.${encodeJson(statelessClaims())}.${signature}`;
            await test.step(`alg ${alg}, signature "${signature}"`, () => expectTokenRefused(request, token));
          }
        }
      });

      test('another algorithm, signed with keys the server does not have', async ({ request }) => {
        const claims = statelessClaims();
        const hmac = async (alg: 'HS384' | 'HS512') =>
          new SignJWT(claims).setProtectedHeader({ alg, typ: TYP.stateless }).sign(crypto.getRandomValues(new Uint8Array(64)));
        const asymmetric = async (alg: 'RS256' | 'ES256' | 'EdDSA') => {
          const { privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : undefined);
          return new SignJWT(claims).setProtectedHeader({ alg, typ: TYP.stateless }).sign(privateKey);
        };
        for (const [alg, sign] of [
          ['HS384', () => hmac('HS384')],
          ['HS512', () => hmac('HS512')],
          ['RS256', () => asymmetric('RS256')],
          ['ES256', () => asymmetric('ES256')],
          ['EdDSA', () => asymmetric('EdDSA')],
        ] as const) {
          await test.step(alg, async () => expectTokenRefused(request, await sign()));
        }
      });

      test('kid, jku, jwk, x5u, x5c and crit headers are refused, and the server fetches nothing', async ({ request }) => {
        // A key server of the attacker's: the test fails if the app ever asks it for anything.
        let fetched = 0;
        const keyServer: Server = createServer((_req, res) => {
          fetched += 1;
          res.end('{"keys":[]}');
        });
        await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
        const keyUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
        try {
          const attackerKey = crypto.getRandomValues(new Uint8Array(32));
          const { publicKey } = await generateKeyPair('ES256');
          const extraHeaders: Record<string, unknown>[] = [
            { kid: '../../../../dev/null' },
            { kid: "' OR '1'='1" },
            { kid: 'k'.repeat(10_000) },
            { kid: 'session' },
            { jku: keyUrl },
            { jwk: { kty: 'oct', k: base64url.encode(attackerKey) } },
            { jwk: await exportJWK(publicKey) },
            { x5u: keyUrl },
            { x5c: ['MIIBszCCAVmgAwIBAgIUfake'] },
            { crit: ['exp'] },
          ];
          for (const extra of extraHeaders) {
            // Signed with the attacker's key (what the header points to) and with the server's own:
            // the extra header alone must be enough to refuse.
            for (const key of [attackerKey, serverKey()]) {
              const token = await signHs256({ typ: TYP.stateless, ...extra }, statelessClaims(), key);
              await test.step(`${Object.keys(extra)[0]} (${key === attackerKey ? "attacker's key" : "server's key"})`, () =>
                expectTokenRefused(request, token));
            }
          }
          expect(fetched, 'requests the app made to the attacker key server').toBe(0);
        } finally {
          keyServer.close();
        }
      });

      test('a token signed by a server with another secret', async ({ request }) => {
        const otherServer = crypto.getRandomValues(new Uint8Array(32));
        await expectTokenRefused(request, await signHs256({ typ: TYP.stateless }, statelessClaims(), otherServer));
      });

      test('expired tokens and tokens not valid yet, even when signed with the server key', async ({ request }) => {
        const now = Math.floor(Date.now() / 1000);
        await expectTokenRefused(
          request,
          await signHs256({ typ: TYP.stateless }, statelessClaims({ iat: now - 7200, exp: now - 3600 }), serverKey()),
          'expired',
        );
        await expectTokenRefused(request, await signHs256({ typ: TYP.stateless }, statelessClaims({ nbf: now + 3600 }), serverKey()));
      });

      test("claims the server does not issue: another issuer or audience, a missing exp, the other mode's typ", async ({ request }) => {
        const key = serverKey();
        const withoutExp = { ...statelessClaims(), exp: undefined };
        for (const [name, header, claims] of [
          ['issuer', { typ: TYP.stateless }, statelessClaims({ iss: 'evil' })],
          ['audience', { typ: TYP.stateless }, statelessClaims({ aud: 'evil' })],
          ['no exp', { typ: TYP.stateless }, withoutExp],
          ['stateless claims under the stateful typ', { typ: TYP.stateful }, statelessClaims()],
          ['stateful claims under the stateless typ', { typ: TYP.stateless }, statelessClaims({ mode: 'stateful', sid: 'A'.repeat(22) })],
          ['no typ', {}, statelessClaims()],
        ] as const) {
          await test.step(name, async () => expectTokenRefused(request, await signHs256(header, claims, key)));
        }
      });
    });

    for (const mode of MODES) {
      test.describe(`a real ${mode} token, doctored`, () => {
        test('stripped, emptied or foreign signatures', async ({ persona, request }) => {
          const page = await persona.signedInPage(mode);
          const token = (await sessionCookie(page.context()))!.value;
          const [h, p] = token.split('.');
          const otherSignature = (await signHs256(decode(token).header, decode(token).payload, crypto.getRandomValues(new Uint8Array(32)))).split('.')[2];
          for (const [name, forged] of [
            ['signature stripped', `${h}.${p}`],
            ['empty signature', `${h}.${p}.`],
            ['signature of another key', `${h}.${p}.${otherSignature}`],
            ['signature of another token', `${h}.${p}.${'A'.repeat(43)}`],
          ] as const) {
            await test.step(name, () => expectTokenRefused(request, forged));
          }
        });

        test('the payload edited without re-signing: another user, another role, another live session', async ({
          persona,
          account,
          browser,
          baseURL,
          request,
        }) => {
          const page = await persona.signedInPage(mode);
          const token = (await sessionCookie(page.context()))!.value;
          // A second, live session of another account: its id is what an attacker would swap in.
          const other = await browser.newContext({ baseURL });
          const otherPage = await other.newPage();
          await loginAs(otherPage, account, mode);
          const otherToken = (await sessionCookie(other))!.value;
          const { payload } = decode(token);
          const theirs = decode(otherToken).payload;
          const edits: [string, Record<string, unknown>][] =
            mode === 'stateless'
              ? [
                  ['sub of another user', { ...payload, sub: theirs.sub, name: theirs.name }],
                  ['role raised to admin', { ...payload, role: 'admin' }],
                  ['exp extended by a year', { ...payload, exp: (payload.exp as number) + 365 * 86400 }],
                ]
              : [
                  ['sid of another live session', { ...payload, sid: theirs.sid }],
                  ['exp extended by a year', { ...payload, exp: (payload.exp as number) + 365 * 86400 }],
                ];
          for (const [name, changed] of edits) {
            await test.step(name, () => expectTokenRefused(request, edited(token, { payload: changed })));
          }
          await test.step("typ swapped to the other mode's", () =>
            expectTokenRefused(request, edited(token, { header: { ...decode(token).header, typ: mode === 'stateless' ? TYP.stateful : TYP.stateless } })));
          await other.close();
        });
      });
    }
  });
}
