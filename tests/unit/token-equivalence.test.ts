// The fast path's lean verifier (lib/fast-path/lean-verifier.ts, node:crypto) and the core's own
// verifier (lib/session/02-tokens.ts, jose's jwtVerify) against an oracle written here: jose's
// jwtVerify under the rules this app states for its tokens (RFC 8725: one typ and one algorithm
// per mode, a header of alg, typ and, for EdDSA, kid only, exp, iat, iss and aud required, a token
// spelled exactly as a signer writes it), taken from nothing in the code under test. Whatever the
// token, valid, mangled or re-signed with the real key around odd claims, all three must give the
// same verdict: the same reason when they refuse, the same header and payload when they accept.
//
// Seeded, so a failure names a token that fails again on the next run; and once more unseeded, so
// every run also tries tokens no earlier run tried (fast-check prints the seed of a failure).
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { CompactSign, base64url, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { getEnv, resetEnvForTests } from '@/lib/env';
import { verifyLean } from '@/lib/fast-path/lean-verifier';
import { deriveKey } from '@/lib/session/01-settings';
import { signToken, verifyToken, type TokenVerifier } from '@/lib/session/02-tokens';
import { hs256Key } from '@/lib/session/hs256-key';
import { getSigningKey, getVerificationKey } from '@/lib/session/08-hybrid-keys';
import { checkSession } from '@/lib/session/10-sessions';
import { MODES as SESSION_MODE_IMPLEMENTATIONS, type SessionMode } from '@/lib/session/modes';

type TokenResult = Awaited<ReturnType<TokenVerifier>>;

const ISS = 'jwt-sessions-reference';
const AUD = 'jwt-sessions-reference:web';
const MODES = ['stateless', 'stateful'] as const;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// One frozen second for the whole file: the verifiers read the clock at different moments
// (jose after an await), and a boundary case must not flip between the two reads.
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0) / 1000;
const TOLERANCE = 5;

// ---- The oracle: this app's rules, written out here -------------------------------------------

const TYPES = { stateless: 'session-stateless+jwt', stateful: 'session-stateful+jwt', hybrid: 'session-hybrid+jwt' } as const;
const ID = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
// Whole numbers and strings: jose alone would take an exp of 1e400, which never expires.
const REGISTERED = z.object({ iat: z.number().int(), exp: z.number().int(), iss: z.string(), aud: z.union([z.string(), z.array(z.string())]) });
const WHO = { sub: z.string().min(1).max(64), name: z.string().max(200), role: z.string().max(32) };
const ORACLE: Record<SessionMode, { alg: 'HS256' | 'EdDSA'; header: string[]; claims: z.ZodType }> = {
  stateless: { alg: 'HS256', header: ['alg', 'typ'], claims: z.object({ mode: z.literal('stateless'), ...WHO, jti: ID }) },
  stateful: { alg: 'HS256', header: ['alg', 'typ'], claims: z.object({ mode: z.literal('stateful'), sid: ID }) },
  hybrid: { alg: 'EdDSA', header: ['alg', 'typ', 'kid'], claims: z.object({ mode: z.literal('hybrid'), ...WHO, sid: ID, jti: ID }) },
};

class NoSuchKey extends Error {}

async function oracle(token: string | undefined | null): Promise<TokenResult> {
  if (!token) return { ok: false, reason: 'missing' };
  const segments = token.split('.');
  const canonical = segments.length === 3 && segments.every((segment) => /^[A-Za-z0-9_-]*$/.test(segment));
  if (token.length > 4096 || !canonical || Buffer.from(segments[2], 'base64url').toString('base64url') !== segments[2])
    return { ok: false, reason: 'malformed' };
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const mode = (Object.keys(TYPES) as SessionMode[]).find((name) => TYPES[name] === header.typ);
  if (!mode || header.alg !== ORACLE[mode].alg || Object.keys(header).some((name) => !ORACLE[mode].header.includes(name)))
    return { ok: false, reason: 'header' };
  try {
    const { payload } = await jwtVerify(
      token,
      async (protectedHeader) => {
        if (mode !== 'hybrid') return hs256Key();
        return (await getVerificationKey(protectedHeader.kid)) ?? Promise.reject(new NoSuchKey());
      },
      { algorithms: [ORACLE[mode].alg], typ: TYPES[mode], issuer: ISS, audience: AUD, requiredClaims: ['exp', 'iat'], clockTolerance: TOLERANCE },
    );
    const registered = REGISTERED.safeParse(payload);
    const claims = ORACLE[mode].claims.safeParse(payload);
    if (!registered.success || !claims.success) return { ok: false, reason: 'claims' };
    return { ok: true, token: { mode, header, payload: { ...registered.data, ...(claims.data as object) } } };
  } catch (error) {
    if (error instanceof NoSuchKey) return { ok: false, reason: 'unknown-key' };
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' };
    if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: 'claims' };
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return { ok: false, reason: 'header' };
    return { ok: false, reason: 'malformed' };
  }
}

const RULES = Object.fromEntries(Object.entries(SESSION_MODE_IMPLEMENTATIONS).map(([name, mode]) => [name, mode.token]));

/** What the oracle, the lean verifier and the core's own verifier say of one token. */
async function verdicts(token: string) {
  return { lean: await verifyLean(token, RULES), jose: await oracle(token), core: await verifyToken(token, RULES) };
}

/** All three agree, and return the oracle's verdict. */
async function agreed(token: string) {
  const { lean, jose, core } = await verdicts(token);
  expect(lean, token).toEqual(jose);
  expect(core, token).toEqual(jose);
  return jose;
}

const valid = {} as Record<SessionMode, string>;

async function signAs(mode: 'stateless' | 'stateful', claims: Record<string, unknown>, expiresAt: Date) {
  return signToken(SESSION_MODE_IMPLEMENTATIONS[mode].token, { mode, ...claims }, await hs256Key(), { issuedAt: new Date(NOW * 1000), expiresAt });
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  // The boundary cases below are written around the default tolerance.
  expect(getEnv().CLOCK_TOLERANCE_SECONDS).toBe(TOLERANCE);
  const expiresAt = new Date((NOW + 900) * 1000);
  // Issued exactly as the app issues them.
  valid.stateless = await signAs('stateless', { sub: 'user-1', name: 'Alice', role: 'user', jti: 'n2Jq4Vt0cYkW8pXr6LzB1g' }, expiresAt);
  valid.stateful = await signAs('stateful', { sid: 'Qe7uH1mZ0aTb5xWc9LpD3s' }, expiresAt);
});

afterAll(() => {
  vi.useRealTimers();
});

function claimsOf(mode: SessionMode): Record<string, unknown> {
  return JSON.parse(Buffer.from(valid[mode].split('.')[1], 'base64url').toString('utf8'));
}

/** `h.p.signature` with the real key: the HMAC jose's HS256 computes, over any two segments at all. */
function hmacSigned(encodedHeader: string, encodedPayload: string) {
  const signature = createHmac('sha256', deriveKey('jwt-hs256')).update(`${encodedHeader}.${encodedPayload}`).digest('base64url');
  return `${encodedHeader}.${encodedPayload}.${signature}`;
}

/**
 * Signed with the real key by jose, as the server signs. jose refuses to sign some headers
 * (alg none, another algorithm, an unknown crit): those get the same HMAC computed directly.
 */
async function signWithRealKey(header: Record<string, unknown>, payload: Uint8Array) {
  try {
    return await new CompactSign(payload).setProtectedHeader(header as { alg: string }).sign(await hs256Key());
  } catch {
    return hmacSigned(base64url.encode(JSON.stringify(header)), base64url.encode(payload));
  }
}

// ---- Mutations of a token string ------------------------------------------------------------

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number; fromStart: boolean }
  | { kind: 'swap'; i: number; j: number }
  | { kind: 'copy'; from: number; to: number }
  | { kind: 'repeat'; i: number }
  | { kind: 'drop'; i: number }
  | { kind: 'insert'; at: number; text: string };

function withSegments(token: string, edit: (segments: string[]) => void) {
  const segments = token.split('.');
  edit(segments);
  return segments.join('.');
}

function mutate(token: string, m: Mutation): string {
  if (!token) return token;
  const n = token.split('.').length;
  switch (m.kind) {
    case 'flip': {
      const i = m.at % token.length;
      return token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << m.bit)) + token.slice(i + 1);
    }
    case 'truncate': {
      const i = m.at % (token.length + 1);
      return m.fromStart ? token.slice(i) : token.slice(0, i);
    }
    case 'swap':
      return withSegments(token, (s) => ([s[m.i % n], s[m.j % n]] = [s[m.j % n], s[m.i % n]]));
    case 'copy':
      return withSegments(token, (s) => (s[m.to % n] = s[m.from % n]));
    case 'repeat':
      return withSegments(token, (s) => s.splice(m.i % n, 0, s[m.i % n]));
    case 'drop':
      return withSegments(token, (s) => s.splice(m.i % n, 1));
    case 'insert': {
      const i = m.at % (token.length + 1);
      return token.slice(0, i) + m.text + token.slice(i);
    }
  }
}

// Mostly base64url, sometimes a character the two base64 decoders might read differently.
const noiseChar = fc.oneof(
  { arbitrary: fc.constantFrom(...BASE64URL), weight: 9 },
  { arbitrary: fc.constantFrom('=', '+', '/', ' ', '\n', '.', '%'), weight: 1 },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), weight: 4 },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), fromStart: fc.boolean() }),
  fc.record({ kind: fc.constant('swap' as const), i: fc.nat(3), j: fc.nat(3) }),
  fc.record({ kind: fc.constant('copy' as const), from: fc.nat(3), to: fc.nat(3) }),
  fc.record({ kind: fc.constant('repeat' as const), i: fc.nat(3) }),
  fc.record({ kind: fc.constant('drop' as const), i: fc.nat(3) }),
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: noiseChar, minLength: 1, maxLength: 6 }) }), weight: 2 },
);

// ---- Re-signed tokens: edited header and claims, signed with the real key -------------------

const DELETE = Symbol('delete');

// Times around the rules: exp at the tolerance boundary, nbf at the other one, and non-numbers.
const timeValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((k) => NOW - TOLERANCE + k),
  fc.integer({ min: -3, max: 3 }).map((k) => NOW + TOLERANCE + k),
  fc.constantFrom(NOW, NOW - 3600, NOW + 3600, 0, -1, NOW + 0.5, 1e15, -1e15),
  fc.constantFrom(String(NOW + 60), null, true, [NOW + 60], {}),
);
const textValue = fc.constantFrom(
  ISS,
  AUD,
  '',
  'evil',
  [AUD],
  ['other', AUD],
  [],
  ['other'],
  [AUD, 1],
  [ISS],
  null,
  7,
  'stateless',
  'stateful',
  'x'.repeat(65),
);
const idValue = fc.oneof(fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 21, maxLength: 23 }), fc.constantFrom('', 'short', 22, null));

const claimEdit = fc.oneof(
  { arbitrary: fc.record({ claim: fc.constantFrom('exp', 'iat', 'nbf'), value: fc.oneof(fc.constant(DELETE), timeValue) }), weight: 2 },
  fc.record({ claim: fc.constantFrom('iss', 'aud', 'mode', 'sub', 'name', 'role', 'extra'), value: fc.oneof(fc.constant(DELETE), textValue) }),
  fc.record({ claim: fc.constantFrom('jti', 'sid'), value: fc.oneof(fc.constant(DELETE), idValue) }),
);

// Mostly the header this app writes, so the claims behind it get checked too.
const headerEdit = fc.record({
  alg: fc.oneof({ arbitrary: fc.constant('HS256'), weight: 4 }, fc.constantFrom('none', 'HS384', 'RS256', 'hs256', DELETE)),
  typ: fc.oneof(
    { arbitrary: fc.constant('own'), weight: 4 },
    fc.constantFrom('other', 'JWT', 'SESSION-STATELESS+JWT', 'application/session-stateless+jwt', DELETE, 42),
  ),
  extra: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    fc.constantFrom<[string, unknown]>(
      ['kid', 'k1'],
      ['jku', 'https://evil.example/jwks.json'],
      ['cty', 'JWT'],
      ['b64', false],
      ['crit', ['exp']],
      ['x5c', ['MIIB']],
    ),
  ),
});

// Now and then the whole claims set is replaced by something that is not an object.
const CLAIMS = Symbol('claims');
const payloadShape = fc.oneof({ arbitrary: fc.constant(CLAIMS), weight: 8 }, fc.constantFrom<unknown>([], [1, 2], 123, 'claims', null, true, {}));

type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

const resign = fc.record({ mode: fc.constantFrom(...MODES), header: headerEdit, edits: fc.array(claimEdit, { maxLength: 4 }), shape: payloadShape });

async function resigned({ mode, header, edits, shape }: Generated<typeof resign>) {
  const typs = { own: TYPES[mode], other: TYPES[mode === 'stateless' ? 'stateful' : 'stateless'] } as Record<string, string>;
  const h: Record<string, unknown> = {};
  if (header.alg !== DELETE) h.alg = header.alg;
  if (header.typ !== DELETE) h.typ = typeof header.typ === 'string' ? (typs[header.typ] ?? header.typ) : header.typ;
  if (header.extra) h[header.extra[0]] = header.extra[1];
  const claims = claimsOf(mode);
  for (const { claim, value } of edits) {
    if (value === DELETE) delete claims[claim];
    else claims[claim] = value;
  }
  const payload = shape === CLAIMS ? claims : shape;
  return signWithRealKey(h, new TextEncoder().encode(JSON.stringify(payload)));
}

const RUNS = { seed: 20261129, numRuns: 2000 };

// A valid token of either mode, or one re-signed with edited header and claims; then none to three
// mutations, so odd claims get mangled too.
type Recipe = { source: SessionMode | Generated<typeof resign>; mutations: Mutation[] };

const recipe: fc.Arbitrary<Recipe> = fc.record({
  source: fc.oneof<fc.Arbitrary<Recipe['source']>[]>(fc.constantFrom(...MODES), resign),
  mutations: fc.oneof(fc.constant<Mutation[]>([]), fc.array(mutation, { minLength: 1, maxLength: 3 })),
});

async function build({ source, mutations }: Recipe) {
  const base = typeof source === 'string' ? valid[source] : await resigned(source);
  return mutations.reduce((token, m) => mutate(token, m), base);
}

const outcome = (result: TokenResult) => (result.ok ? 'ok' : result.reason);

describe('generated tokens', () => {
  it('gives the same verdict, for the same reason, on every mutated or re-signed token (seeded)', async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(recipe, async (r) => {
        reached.add(outcome(await agreed(await build(r))));
      }),
      RUNS,
    );
    // A fuzzer stuck on one branch would prove nothing: this one reached every verdict.
    expect([...reached].sort()).toEqual(['claims', 'expired', 'header', 'malformed', 'missing', 'ok', 'signature']);
  });

  it('gives the same verdict on tokens no earlier run tried (unseeded)', async () => {
    await fc.assert(
      fc.asyncProperty(recipe, async (r) => {
        await agreed(await build(r));
      }),
      { numRuns: 1000 },
    );
  });

  it("applies the claim rules, in jose's order, to every re-signed token", async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(resign, async (r) => {
        reached.add(outcome(await agreed(await resigned(r))));
      }),
      RUNS,
    );
    // Signed with the real key, so never 'signature'; every other verdict was reached.
    expect([...reached].sort()).toEqual(['claims', 'expired', 'header', 'malformed', 'ok']);
  });
});

// ---- Explicit cases ------------------------------------------------------------------------

function segmentsOf(mode: SessionMode) {
  const [h, p, s] = valid[mode].split('.');
  return { h, p, s };
}

const STATELESS_HEADER = { alg: 'HS256', typ: TYPES.stateless };

/** The valid stateless claims, edited, signed by jose with the real key. */
function resignedClaims(edit: (claims: Record<string, unknown>) => void) {
  const claims = claimsOf('stateless');
  edit(claims);
  return signWithRealKey(STATELESS_HEADER, new TextEncoder().encode(JSON.stringify(claims)));
}

/** The valid stateless payload and signature under another header segment. */
function underHeader(encodedHeader: string) {
  const { p, s } = segmentsOf('stateless');
  return `${encodedHeader}.${p}.${s}`;
}

/** The valid stateless payload segment with `text` inserted after its tenth character. */
function payloadWith(text: string) {
  const { p } = segmentsOf('stateless');
  return `${p.slice(0, 10)}${text}${p.slice(10)}`;
}

/** Bytes with a UTF-8 byte order mark in front. */
const withBom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);

type Case = { name: string; make: () => string | Promise<string> };

describe('explicit cases', () => {
  it.each<Case & { verdict: string }>([
    { name: 'the issued stateless token', make: () => valid.stateless, verdict: 'ok' },
    { name: 'the issued stateful token', make: () => valid.stateful, verdict: 'ok' },
    {
      name: 'alg none with an empty signature',
      make: () => `${base64url.encode(JSON.stringify({ ...STATELESS_HEADER, alg: 'none' }))}.${segmentsOf('stateless').p}.`,
      verdict: 'header',
    },
    {
      name: 'alg none with the genuine signature',
      make: () => underHeader(base64url.encode(JSON.stringify({ ...STATELESS_HEADER, alg: 'none' }))),
      verdict: 'header',
    },
    {
      name: 'alg none signed with the real key',
      make: () => signWithRealKey({ ...STATELESS_HEADER, alg: 'none' }, Buffer.from(JSON.stringify(claimsOf('stateless')))),
      verdict: 'header',
    },
    { name: 'an empty signature', make: () => `${segmentsOf('stateful').h}.${segmentsOf('stateful').p}.`, verdict: 'signature' },
    {
      name: 'a signature one byte short',
      make: () => valid.stateful.replace(/[^.]+$/, (s) => Buffer.from(s, 'base64url').subarray(1).toString('base64url')),
      verdict: 'signature',
    },
    {
      name: 'a signature by another key',
      make: () =>
        valid.stateless.replace(/[^.]+$/, () =>
          createHmac('sha256', 'another-key-of-at-least-32-bytes-long!!')
            .update(valid.stateless.replace(/\.[^.]+$/, ''))
            .digest('base64url'),
        ),
      verdict: 'signature',
    },
    { name: 'four segments', make: () => `${valid.stateless}.${segmentsOf('stateless').s}`, verdict: 'malformed' },
    { name: 'two segments', make: () => `${segmentsOf('stateless').h}.${segmentsOf('stateless').p}`, verdict: 'malformed' },
    // 43 characters carry 258 bits for a 256-bit HMAC: flipping the lowest bit keeps the bytes.
    {
      name: 'a non-canonical last signature character',
      make: () => valid.stateless.slice(0, -1) + BASE64URL[BASE64URL.indexOf(valid.stateless.at(-1)!) ^ 1],
      verdict: 'malformed',
    },
    { name: 'a padded signature', make: () => `${valid.stateless}=`, verdict: 'malformed' },
    { name: 'a token of 4097 characters', make: () => valid.stateless + 'A'.repeat(4097 - valid.stateless.length), verdict: 'malformed' },
    // jose would match a typ case-insensitively, but the header check before it does not.
    {
      name: 'a typ in capitals, signed',
      make: () => signWithRealKey({ ...STATELESS_HEADER, typ: TYPES.stateless.toUpperCase() }, Buffer.from(JSON.stringify(claimsOf('stateless')))),
      verdict: 'header',
    },
    { name: 'exp exactly the tolerance ago', make: () => resignedClaims((c) => (c.exp = NOW - TOLERANCE)), verdict: 'expired' },
    { name: 'exp a second less than the tolerance ago', make: () => resignedClaims((c) => (c.exp = NOW - TOLERANCE + 1)), verdict: 'ok' },
    { name: 'nbf exactly the tolerance ahead', make: () => resignedClaims((c) => (c.nbf = NOW + TOLERANCE)), verdict: 'ok' },
    { name: 'nbf a second beyond the tolerance', make: () => resignedClaims((c) => (c.nbf = NOW + TOLERANCE + 1)), verdict: 'claims' },
    {
      name: 'a future nbf on an expired token (nbf is checked first)',
      make: () => resignedClaims((c) => Object.assign(c, { nbf: NOW + 60, exp: NOW - 60 })),
      verdict: 'claims',
    },
    { name: 'iat as a string', make: () => resignedClaims((c) => (c.iat = String(NOW))), verdict: 'claims' },
    { name: 'no iss', make: () => resignedClaims((c) => delete c.iss), verdict: 'claims' },
    { name: 'aud as an array holding ours', make: () => resignedClaims((c) => (c.aud = ['another', AUD])), verdict: 'ok' },
    { name: 'aud as an array holding ours and a number', make: () => resignedClaims((c) => (c.aud = [AUD, 1])), verdict: 'claims' },
    {
      name: 'exp of 1e400 (Infinity once parsed)',
      make: () => hmacSigned(segmentsOf('stateless').h, base64url.encode(JSON.stringify(claimsOf('stateless')).replace(/"exp":\d+/, '"exp":1e400'))),
      verdict: 'claims',
    },
    {
      name: 'exp twice, the last one valid',
      make: () => hmacSigned(segmentsOf('stateless').h, base64url.encode(`{"exp":1,${JSON.stringify(claimsOf('stateless')).slice(1)}`)),
      verdict: 'ok',
    },
    {
      name: 'a payload that is an array, signed',
      make: () => signWithRealKey(STATELESS_HEADER, Buffer.from(JSON.stringify([claimsOf('stateless')]))),
      verdict: 'malformed',
    },
  ])('$name: all say $verdict', async ({ make, verdict }) => {
    expect(outcome(await agreed(await make()))).toBe(verdict);
  });

  it('refuses a mode that SESSION_MODES switched off, after the token verified', async () => {
    process.env.SESSION_MODES = 'stateful';
    process.env.SESSION_MODE = 'stateful';
    resetEnvForTests();
    try {
      expect(await checkSession(valid.stateless)).toEqual({ ok: false, reason: 'header' });
    } finally {
      delete process.env.SESSION_MODES;
      delete process.env.SESSION_MODE;
      resetEnvForTests();
    }
  });
});

// Base64url read strictly: only its alphabet, no padding, no dangling last character, strict
// UTF-8. jose's own decoder is more lenient (atob skips whitespace), so the rule that a token is
// spelled exactly as a signer writes it stands before it, in the core and in the oracle; the lean
// verifier applies the same rule itself.
describe('encodings', () => {
  it.each<Case>([
    { name: 'a "+" in the payload, genuine signature', make: () => `${segmentsOf('stateless').h}.${payloadWith('+')}.${segmentsOf('stateless').s}` },
    { name: 'a space in the payload, genuine signature', make: () => `${segmentsOf('stateless').h}.${payloadWith(' ')}.${segmentsOf('stateless').s}` },
    {
      name: 'a non-ASCII character in the payload, genuine signature',
      make: () => `${segmentsOf('stateless').h}.${payloadWith('é')}.${segmentsOf('stateless').s}`,
    },
    {
      name: 'a space in the header, genuine signature',
      make: () => underHeader(`${segmentsOf('stateless').h.slice(0, 10)} ${segmentsOf('stateless').h.slice(10)}`),
    },
    { name: 'a payload with a space in it, signed', make: () => hmacSigned(segmentsOf('stateless').h, payloadWith(' ')) },
    { name: 'a header behind a byte order mark, genuine signature', make: () => underHeader(base64url.encode(withBom(JSON.stringify(STATELESS_HEADER)))) },
    {
      name: 'a typ ending in a byte that is not UTF-8',
      make: () =>
        underHeader(base64url.encode(Buffer.concat([Buffer.from(`{"alg":"HS256","typ":"${TYPES.stateless}`), Buffer.from([0xff]), Buffer.from('"}')]))),
    },
    // The header segment is 56 characters long; a 57th is a dangling 6 bits.
    { name: 'a header with one base64url character too many, genuine signature', make: () => underHeader(`${segmentsOf('stateless').h}A`) },
    { name: 'a header with one base64url character too many, signed', make: () => hmacSigned(`${segmentsOf('stateless').h}A`, segmentsOf('stateless').p) },
    { name: 'a payload with one base64url character too many, signed', make: () => hmacSigned(segmentsOf('stateless').h, `${segmentsOf('stateless').p}A`) },
    {
      name: 'a payload behind a byte order mark, signed by jose',
      make: () => signWithRealKey(STATELESS_HEADER, withBom(JSON.stringify(claimsOf('stateless')))),
    },
    {
      name: 'a name holding a byte that is not UTF-8, signed by jose',
      make: () => {
        const [before, after] = JSON.stringify({ ...claimsOf('stateless'), name: 'A@B' }).split('@');
        return signWithRealKey(STATELESS_HEADER, Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]));
      },
    },
  ])('$name: all give the same verdict', async ({ make }) => {
    await agreed(await make());
  });
});

// ---- Hybrid access tokens: EdDSA, with the kid of a published key -----------------------------

describe('hybrid access tokens', () => {
  let validHybrid = '';
  let kid = '';

  beforeAll(async () => {
    const { kid: current, privateKey } = await getSigningKey();
    validHybrid = await signToken(
      SESSION_MODE_IMPLEMENTATIONS.hybrid.token,
      { mode: 'hybrid', sub: 'user-1', name: 'Alice', role: 'user', sid: 'Qe7uH1mZ0aTb5xWc9LpD3s', jti: 'n2Jq4Vt0cYkW8pXr6LzB1g' },
      privateKey,
      { issuedAt: new Date(NOW * 1000), expiresAt: new Date((NOW + 300) * 1000) },
      current,
    );
    kid = JSON.parse(Buffer.from(validHybrid.split('.')[0], 'base64url').toString('utf8')).kid;
  });

  /** Re-signed with the real current Ed25519 key (jose refuses some headers: those get no valid signature). */
  async function signHybrid(header: Record<string, unknown>, claims: unknown) {
    const payload = new TextEncoder().encode(JSON.stringify(claims));
    const { privateKey } = await getSigningKey();
    try {
      return await new CompactSign(payload).setProtectedHeader(header as { alg: string }).sign(privateKey);
    } catch {
      return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(payload)}.${'A'.repeat(86)}`;
    }
  }

  const hybridHeader = fc.record({
    alg: fc.oneof({ arbitrary: fc.constant('EdDSA'), weight: 4 }, fc.constantFrom('none', 'HS256', 'Ed25519', 'eddsa', DELETE)),
    typ: fc.oneof({ arbitrary: fc.constant(TYPES.hybrid), weight: 4 }, fc.constantFrom(TYPES.stateless, 'JWT', DELETE)),
    kid: fc.oneof({ arbitrary: fc.constant('own'), weight: 4 }, fc.constantFrom('AAAAAAAAAAAAAAAAAAAAAA', '', 'k1', 42, DELETE)),
    extra: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 4 },
      fc.constantFrom<[string, unknown]>(['jwk', { kty: 'OKP' }], ['jku', 'https://evil.example'], ['crit', ['exp']]),
    ),
  });

  const hybridRecipe = fc.record({ header: hybridHeader, edits: fc.array(claimEdit, { maxLength: 4 }), mutations: fc.array(mutation, { maxLength: 2 }) });

  it('all agree, reason for reason, on mutated and re-signed hybrid tokens', async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(hybridRecipe, async ({ header, edits, mutations }) => {
        const h: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(header)) if (name !== 'extra' && value !== DELETE) h[name] = name === 'kid' && value === 'own' ? kid : value;
        if (header.extra) h[header.extra[0]] = header.extra[1];
        const claims = JSON.parse(Buffer.from(validHybrid.split('.')[1], 'base64url').toString('utf8'));
        for (const { claim, value } of edits) {
          if (value === DELETE) delete claims[claim];
          else claims[claim] = value;
        }
        const base = edits.length === 0 && Object.keys(h).length === 3 && h.kid === kid && h.alg === 'EdDSA' ? validHybrid : await signHybrid(h, claims);
        reached.add(outcome(await agreed(mutations.reduce((t, m) => mutate(t, m), base))));
      }),
      { seed: 20261130, numRuns: 1000 },
    );
    expect([...reached].sort()).toEqual(expect.arrayContaining(['claims', 'expired', 'header', 'malformed', 'ok', 'signature', 'unknown-key']));
  });
});
