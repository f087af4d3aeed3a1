import 'server-only';
// What each signing algorithm costs: HS256 (the stateless and stateful tokens) against EdDSA with
// Ed25519 (hybrid's access token), signing and verifying, in the same run on the same machine, once
// with node:crypto directly (what lib/session/token.ts does to verify) and once through jose (what
// it does to sign, and the library path most apps take). The keys are throwaways made for the run:
// the lab never needs the server's own key bytes. Both sign the same claims, so only the
// algorithm differs.
import { createHmac, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Stat } from '@/lib/lab/measure';
import { randomId } from '@/lib/session/01-settings';

type AlgorithmName = 'HS256' | 'EdDSA';
export type AlgorithmCost = { algorithm: AlgorithmName; operation: 'sign' | 'verify'; via: 'node:crypto' | 'jose'; stat: Stat };

export type AlgorithmCosts = { samples: number; rows: AlgorithmCost[] };

/** (HS256, EdDSA) × (sign, verify) × (node:crypto, jose). */
export const ALGORITHM_MEASUREMENTS = 8;

type Timed = (phase: string, fn: () => unknown) => Promise<Stat>;

/** Claims shaped like a hybrid access token's, so the signed input is as long as a real one. */
function sampleClaims() {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return { sub: randomId(), name: 'Alice Example', role: 'admin', sid: randomId(), jti: randomId(), mode: 'hybrid', iat: nowSeconds, exp: nowSeconds + 300 };
}

function encode(value: object) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Every case timed by the caller's `timed` (the benchmark's, which reports progress), `samples` calls each. */
export async function measureAlgorithms(samples: number, timed: Timed): Promise<AlgorithmCosts> {
  const hmacKey = randomBytes(32);
  const hmacCryptoKey = await crypto.subtle.importKey('raw', hmacKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const ed25519 = generateKeyPairSync('ed25519');
  const ed25519CryptoKeys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const claims = sampleClaims();
  const payload = encode(claims);
  const input = (alg: AlgorithmName) => `${encode({ alg, typ: 'JWT', kid: randomId() })}.${payload}`;
  const hs256Input = input('HS256');
  const eddsaInput = input('EdDSA');
  const hs256Signature = createHmac('sha256', hmacKey).update(hs256Input).digest();
  const eddsaSignature = sign(null, Buffer.from(eddsaInput), ed25519.privateKey);
  const joseSign = (alg: AlgorithmName, key: CryptoKey) => new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
  const joseHs256 = await joseSign('HS256', hmacCryptoKey);
  const joseEddsa = await joseSign('EdDSA', ed25519CryptoKeys.privateKey);

  type Case = Omit<AlgorithmCost, 'stat'> & { fn: () => unknown };
  const cases: Case[] = [
    { algorithm: 'HS256', operation: 'sign', via: 'node:crypto', fn: () => createHmac('sha256', hmacKey).update(hs256Input).digest() },
    {
      algorithm: 'HS256',
      operation: 'verify',
      via: 'node:crypto',
      fn: () => {
        if (!timingSafeEqual(createHmac('sha256', hmacKey).update(hs256Input).digest(), hs256Signature)) throw new Error('HS256 sample refused');
      },
    },
    { algorithm: 'EdDSA', operation: 'sign', via: 'node:crypto', fn: () => sign(null, Buffer.from(eddsaInput), ed25519.privateKey) },
    {
      algorithm: 'EdDSA',
      operation: 'verify',
      via: 'node:crypto',
      fn: () => {
        if (!verify(null, Buffer.from(eddsaInput), ed25519.publicKey, eddsaSignature)) throw new Error('EdDSA sample refused');
      },
    },
    { algorithm: 'HS256', operation: 'sign', via: 'jose', fn: () => joseSign('HS256', hmacCryptoKey) },
    { algorithm: 'HS256', operation: 'verify', via: 'jose', fn: () => jwtVerify(joseHs256, hmacCryptoKey, { algorithms: ['HS256'] }) },
    { algorithm: 'EdDSA', operation: 'sign', via: 'jose', fn: () => joseSign('EdDSA', ed25519CryptoKeys.privateKey) },
    { algorithm: 'EdDSA', operation: 'verify', via: 'jose', fn: () => jwtVerify(joseEddsa, ed25519CryptoKeys.publicKey, { algorithms: ['EdDSA'] }) },
  ];
  const rows: AlgorithmCost[] = [];
  for (const { fn, ...entry } of cases) {
    const phase = `${entry.algorithm} ${entry.operation} (${entry.via})`;
    for (let i = 0; i < 50; i++) await fn(); // warm-up: JIT and each key's first use
    rows.push({ ...entry, stat: await timed(phase, fn) });
  }
  return { samples, rows };
}
