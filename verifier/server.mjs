// The second verifier: a separate service that checks tokens the app mints for it, with nothing
// but the public key set the app publishes at /.well-known/jwks.json. No SESSION_SECRET, no
// database, no code shared with the app. This is the article's decentralisation point made real:
// once tokens are signed with an asymmetric key, any other service can verify them on its own,
// and the issuer only has to publish public keys.
//
// - It accepts only tokens made for it: type `service+jwt` and its own audience (VERIFIER_AUDIENCE),
//   which the app mints by a token exchange (RFC 8693, POST /api/token). The app's session cookie
//   itself is refused here (reason 'type'), as this service's tokens are refused as sessions
//   there: a token that leaves the browser for another service can never be replayed as a
//   session (RFC 8725 §3.9-3.11).
// - It refuses the stateless and stateful modes' HS256 tokens (reason 'algorithm'): checking an
//   HMAC needs the secret, and a service that held the secret could also mint tokens. EdDSA is the
//   only algorithm it accepts, so a token cannot pick a weaker one (RFC 8725 3.1).
// - jose's remote key set fetches the keys once and keeps them (cacheMaxAge, 10 minutes). When a
//   token names a kid it does not know, it fetches again, but at most once per cooldown
//   (VERIFIER_JWKS_COOLDOWN_MS), so made-up kids cannot flood the app. That re-fetch is what lets
//   it follow a key rotation without a restart: the app publishes its next key before it signs
//   anything with it (lib/session/signing-keys.ts), so by the time a token names the new kid, the
//   set it fetches holds it. A key the app withdraws stays trusted here until the cache expires;
//   hybrid access tokens live 5 minutes, and withdrawn keys signed nothing for that long.
//
// Run: `node verifier/server.mjs` (`npm start` and `npm run demo:cluster` start it beside the app).
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const parsed = z
  .object({
    PORT: port.default(3000), // the app's port, for the default JWKS_URL and VERIFIER_PORT
    VERIFIER_PORT: port.optional(), // PORT + 10 by default; 0 picks a free port (the ready line names it)
    // Loopback by default: the app asks it over loopback, and nobody else needs to.
    VERIFIER_HOST: z.string().min(1).default('127.0.0.1'),
    JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    SESSION_ISSUER: z.string().min(1).default('jwt-sessions-reference'),
    // This service's own audience: what the app's token exchange mints for it.
    VERIFIER_AUDIENCE: z.string().min(1).default('jwt-sessions-reference:verifier'),
    VERIFIER_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    // Leeway for exp between the app's clock and this one, as the app allows (lib/env.ts).
    CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  })
  .safeParse(process.env);
if (!parsed.success) {
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`).join('\n');
  console.error(`[verifier] invalid environment:\n${problems}`);
  process.exit(1);
}
const env = { ...parsed.data, VERIFIER_PORT: parsed.data.VERIFIER_PORT ?? parsed.data.PORT + 10 };
const jwksUrl = new URL(env.JWKS_URL ?? `http://127.0.0.1:${env.PORT}/.well-known/jwks.json`);
if (jwksUrl.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(jwksUrl.hostname)) {
  console.warn(`[verifier] ${jwksUrl} is plain HTTP off this machine: whoever sits in between could swap the keys. Use https.`);
}

const TOKEN_TYPE = 'service+jwt';
const ALLOWED_HEADER_KEYS = new Set(['alg', 'typ', 'kid']); // exactly what the app writes
const MAX_BODY_BYTES = 8 * 1024;
const Body = z.object({ token: z.string().min(1) });

const jwks = createRemoteJWKSet(jwksUrl, { cooldownDuration: env.VERIFIER_JWKS_COOLDOWN_MS });

/** The key set could not be fetched or read: the app's fault or the network's, not the token's. */
class KeySetUnavailable extends Error {}
class HeaderRefused extends Error {
  code = 'ERR_VERIFIER_HEADER';
}

/**
 * The key for a token, from the remote set. jose has already checked the algorithm when it asks.
 * The header allow-list keeps a token from steering key selection (jku, jwk, x5u are never
 * followed anyway), and a kid is required so that a one-key set does not match anything.
 */
async function keyFor(protectedHeader, token) {
  const extra = Object.keys(protectedHeader).filter((key) => !ALLOWED_HEADER_KEYS.has(key));
  if (extra.length) throw new HeaderRefused(`header parameters not allowed: ${extra.join(', ')}`);
  if (typeof protectedHeader.kid !== 'string') throw new HeaderRefused('the token names no key (kid)');
  try {
    return await jwks(protectedHeader, token);
  } catch (error) {
    if (error?.code === 'ERR_JWKS_NO_MATCHING_KEY' || error?.code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
    throw new KeySetUnavailable(`could not get the key set from ${jwksUrl}`, { cause: error });
  }
}

/** jose's error codes, as the short stable reasons this service answers with. */
const REASONS = {
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown-key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown-key',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
  ERR_JWT_EXPIRED: 'expired',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'claims',
  ERR_JOSE_NOT_SUPPORTED: 'header', // an unknown `crit` extension
  ERR_VERIFIER_HEADER: 'header',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
};

/** A refused claim, named: a token of another type or for another audience was never meant for this service. */
const CLAIM_REASONS = { typ: 'type', aud: 'audience' };

async function verify(token) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keyFor, {
      algorithms: ['EdDSA'],
      typ: TOKEN_TYPE,
      issuer: env.SESSION_ISSUER,
      audience: env.VERIFIER_AUDIENCE,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      clockTolerance: env.CLOCK_TOLERANCE_SECONDS,
    });
    const { sub, name, role, exp, iat } = payload;
    return { status: 200, body: { ok: true, kid: protectedHeader.kid, claims: { sub, name, role, exp, iat } } };
  } catch (error) {
    if (error instanceof KeySetUnavailable) {
      console.error(`[verifier] ${error.message}:`, error.cause?.message ?? error.cause);
      return { status: 503, body: { ok: false, reason: 'jwks-unavailable', message: error.message } };
    }
    // Anything else jose throws is about the token; a non-jose error is a bug and stays a 500.
    if (typeof error?.code !== 'string' || !error.code.startsWith('ERR_')) throw error;
    const reason = (error.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && CLAIM_REASONS[error.claim]) || REASONS[error.code] || 'malformed';
    return { status: 401, body: { ok: false, reason, message: error.message } };
  }
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** The JSON body, or why not. Stops collecting at MAX_BODY_BYTES (the rest is drained, not kept). */
function readJson(req) {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return resolve({ error: `body over ${MAX_BODY_BYTES} bytes` });
    const chunks = [];
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) return resolve({ error: `body over ${MAX_BODY_BYTES} bytes` });
      chunks.push(chunk);
    });
    req.on('error', () => resolve({ error: 'the request broke off' }));
    req.on('end', () => {
      try {
        resolve({ value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ error: 'body is not JSON' });
      }
    });
  });
}

async function handle(req, res) {
  // A request target that is no URL at all (`GET http://[` …) is a bad request, not a crash.
  let pathname;
  try {
    ({ pathname } = new URL(req.url ?? '/', 'http://verifier'));
  } catch {
    return send(res, 400, { ok: false, reason: 'bad-request', message: 'not a URL' });
  }
  const reading = req.method === 'GET' || req.method === 'HEAD';
  if (pathname === '/verify') {
    if (req.method !== 'POST') return send(res, 405, { ok: false, reason: 'method', message: 'POST a JSON body { "token": "…" }' }, { Allow: 'POST' });
    const body = await readJson(req);
    // A body cut off at the limit was not read to its end: close the connection after answering.
    if (body.error) return send(res, 400, { ok: false, reason: 'bad-request', message: body.error }, { Connection: 'close' });
    const input = Body.safeParse(body.value);
    if (!input.success) return send(res, 400, { ok: false, reason: 'bad-request', message: 'expected { "token": "<a JWT>" }' });
    const { status, body: answer } = await verify(input.data.token);
    return send(res, status, answer);
  }
  if (pathname === '/' || pathname === '/healthz') {
    if (!reading) return send(res, 405, { ok: false, reason: 'method', message: 'GET only' }, { Allow: 'GET, HEAD' });
    if (pathname === '/healthz') return res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
    const knownKids = (jwks.jwks()?.keys ?? []).map((key) => key.kid);
    return send(res, 200, { service: 'second-verifier', jwksUrl: jwksUrl.href, knownKids, fresh: jwks.fresh, coolingDown: jwks.coolingDown });
  }
  return send(res, 404, { ok: false, reason: 'not-found', message: 'POST /verify, GET / or GET /healthz' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error('[verifier] request failed', error);
    if (!res.headersSent) send(res, 500, { ok: false, reason: 'internal', message: 'internal error' });
    else res.destroy();
  });
});
// A slow client must not hold a connection open for long: a verification is one small POST.
server.requestTimeout = 10_000;
server.headersTimeout = 5_000;

server.on('error', (error) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(
    `Port ${env.VERIFIER_PORT} (the second verifier) is already in use: set VERIFIER_PORT to another port (for example VERIFIER_PORT=${env.VERIFIER_PORT + 100}, or PORT to move the whole demo).`,
  );
  process.exit(1);
});
server.listen(env.VERIFIER_PORT, env.VERIFIER_HOST, () => {
  const { port: actual } = server.address();
  const host = env.VERIFIER_HOST.includes(':') ? `[${env.VERIFIER_HOST}]` : env.VERIFIER_HOST;
  console.log(`[verifier] second verifier ready on http://${host}:${actual}, keys from ${jwksUrl}`);
});

let stopping = false;
function stop(signal) {
  // Ctrl-C reaches this process twice under `npm start` (the terminal and the supervisor): once is enough.
  if (stopping) return;
  stopping = true;
  console.log(`[verifier] ${signal}: stopping`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
