import type { Metadata } from 'next';
import Link from 'next/link';
import { BenchmarkRunner } from '@/components/benchmark-runner';
import { LabSecondVerifier } from '@/components/lab-second-verifier';
import { OutageDrill } from '@/components/outage-drill';
import { RevocationLab } from '@/components/revocation-lab';
import { buildComparison } from '@/lib/lab/comparison';
import { canRunDrill, DRILL_OUTAGE_MS } from '@/lib/lab/outage-drill';
import { describeDatabase, describeInstance } from '@/lib/lab/runs';
import { getSession } from '@/lib/session/11-dal';
import { getEnv } from '@/lib/env';
import { getFastPathSettings } from '@/lib/fast-path/install';
import { MIN_SAMPLES } from '@/lib/lab/metrics';
import { LAB_TTL_SECONDS } from '@/lib/lab/revocation-lab';
import { formatDuration } from '@/lib/view/format';
import { AlgorithmCostResults } from './algorithm-cost';
import { BenchmarkResults } from './benchmark-results';
import { CliBenchResults } from './cli-bench';
import { ComparisonTable } from './comparison-table';
import { DrillResults } from './drill-results';
import { RevocationCost } from './revocation-cost';
import { SigningKeys } from './signing-keys';
import { TokenAnatomy } from './token-anatomy';

export const metadata: Metadata = { title: 'Compare' };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="flex flex-col gap-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Prose({ children }: { children: React.ReactNode }) {
  return <p className="max-w-3xl text-sm text-slate-700">{children}</p>;
}

export default async function ComparePage() {
  const viewer = await getSession();
  const { rows, bench, cliBench, lab, drill, samples, keys } = await buildComparison(viewer?.user ?? null);
  const env = getEnv();
  const clockToleranceSeconds = env.CLOCK_TOLERANCE_SECONDS;
  const logIn = <Link href="/login?next=%2Fcompare">Log in</Link>;
  return (
    <div className="flex flex-col gap-8">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold">Stateless vs stateful, measured on this server</h1>
        <Prose>
          This app answers the article <cite>“JWT Session Token Implementation: Stateful vs. Stateless”</cite>. In short, it argues that a stateless token,
          carrying every claim and checked by its signature alone, is faster and scales out more easily because no request waits on a database, but cannot be
          taken back before it expires and grows every request; while a stateful token, carrying only a session id looked up on each request, can be revoked at
          once and supports &ldquo;log out of all devices&rdquo;, at the price of a lookup per request and a session store that must always be up.
        </Prose>
        <Prose>
          The article rates the two designs in words. Each cell below is a number this running server measured, with the article&apos;s word beside it and a
          mark where they agree or not. A row judges only with enough samples ({MIN_SAMPLES} requests per mode for the live latency), and shows the spread with
          the median. Browse a few pages in each mode (switch in the header) to feed the live rows, or run the benchmark.
        </Prose>
        <Prose>
          Beside them runs a third design the article only hints at (&ldquo;short token lifetimes (with refresh tokens)&rdquo;): <strong>hybrid</strong>, what
          most identity providers ship. A short access token ({formatDuration(env.HYBRID_ACCESS_TTL_SECONDS)}), signed with Ed25519 and checked like a stateless
          one, and a rotating refresh token checked against the session&apos;s row once per access token. The article does not rate it, so its column says what
          the design promises, and the verdict says whether it held.
        </Prose>
        <p data-testid="measured-on" className="max-w-3xl text-sm font-medium text-slate-800">
          Measured on {describeInstance()}, database {describeDatabase()}. Live rows count this process&apos;s own requests.
        </p>
        <p data-testid="session-path" className="max-w-3xl text-sm text-slate-700">
          {getFastPathSettings().SESSION_FAST_PATH ? (
            <>
              This server runs the <strong>fast path</strong> (<code>SESSION_FAST_PATH</code> on): two plug-ins beside the session code, a lean token verifier
              with a cache of verified tokens and the stateful row read as one prepared statement, each held to the core&apos;s verdicts by its own test. What
              you copy runs on the core&apos;s own path, jose&apos;s <code>jwtVerify</code> and Prisma&apos;s <code>findUnique</code>; the benchmark measures
              both.
            </>
          ) : (
            <>
              This server runs the session code&apos;s <strong>own path</strong> (<code>SESSION_FAST_PATH=0</code>), as you would copy it: jose&apos;s{' '}
              <code>jwtVerify</code> and Prisma&apos;s <code>findUnique</code>, with no plug-in.
            </>
          )}
        </p>
      </header>
      <Section id="table" title="The table">
        <ComparisonTable rows={rows} />
      </Section>
      <Section id="bench" title="Benchmark">
        <Prose>
          Runs the app&apos;s own session check thousands of times per mode against freshly issued tokens, next to two floors on the same tokens and database: a
          bare node:crypto HMAC-SHA256 verification and a bare indexed lookup. It also counts the statements of real checks and of real hybrid refreshes, and
          times each signing algorithm.
        </Prose>
        <BenchmarkRunner canRun={!!viewer} />
        {bench ? <BenchmarkResults run={bench} /> : <p className="text-sm text-slate-500">No benchmark has been run on this database yet.</p>}
        <CliBenchResults run={cliBench} />
      </Section>
      <Section id="algorithms" title="What each signing algorithm costs">
        <Prose>
          Stateless and stateful tokens are signed with HS256, an HMAC under one secret: whoever can verify one can also make one. Hybrid&apos;s access token is
          signed with EdDSA (Ed25519): the private key signs, and anyone holding the published public key can verify. Both, signing and verifying, with
          node:crypto directly and through jose, in the latest benchmark run.
        </Prose>
        <AlgorithmCostResults run={bench} cliRun={cliBench} />
      </Section>
      <Section id="revocation-cost" title="Revocation window against database reads">
        <Prose>
          The article&apos;s trade-off in one picture: the longer a signed-out device may keep reading, the fewer database reads a mode needs. Stateless pays
          nothing and waits for its token&apos;s exp; stateful reads on every request and ends a session on the next one; hybrid reads once per access token and
          waits at most one access-token lifetime.
        </Prose>
        <RevocationCost bench={bench} lab={lab} />
      </Section>
      <Section id="lab" title="Revocation lab">
        <Prose>
          Creates one throwaway session per mode for you, signs them all out, and replays each token against <code>/api/session</code> every few hundred
          milliseconds. Stateless and stateful lab tokens live {LAB_TTL_SECONDS} seconds so you can watch the stateless one finally die. It dies a little after
          that: the server accepts a token until <code>exp</code> plus its clock tolerance of {clockToleranceSeconds} seconds (
          <code>CLOCK_TOLERANCE_SECONDS</code>, which absorbs clock drift between servers), so expect about {LAB_TTL_SECONDS + clockToleranceSeconds} seconds.
        </Prose>
        <Prose>
          The hybrid session gets a real access token ({formatDuration(env.HYBRID_ACCESS_TTL_SECONDS)}). Its replays keep reading; its refresh token is tried
          once right after the sign-out and refused at once, because a refresh reads the row. The lab does not wait minutes for the access token to die: its
          window is computed from the token&apos;s <code>exp</code> (plus the clock tolerance), which is exactly when the server starts refusing it.
        </Prose>
        <RevocationLab canRun={!!viewer} />
        {!viewer ? <p className="text-sm">{logIn} to run the benchmark and the lab.</p> : null}
      </Section>
      <Section id="verifier" title="Second verifier">
        <Prose>
          The article&apos;s &ldquo;decentralisation&rdquo;, live: another service (<code>verifier/server.mjs</code>) that holds no secret and no database, only
          the public keys it fetches from <code>/.well-known/jwks.json</code>. Your session token never goes to it: this page exchanges your live session for a
          token of the verifier&apos;s own audience and type (RFC 8693 token exchange, <code>POST /api/token</code>), signed with Ed25519, valid for{' '}
          {formatDuration(env.SERVICE_TOKEN_TTL_SECONDS)}. That token passes, and this app refuses it as a session; your session token sent as it is gets{' '}
          <code>type</code> (a hybrid one) or <code>algorithm</code> (an HS256 one, checkable only with the secret that also signs them). After a key rotation,
          a new exchange is signed with the new key and passes too: the verifier fetches the key set again when it meets a kid it does not know.
        </Prose>
        <LabSecondVerifier canRun={!!viewer} />
      </Section>
      <Section id="keys" title="Signing keys">
        <Prose>
          Hybrid&apos;s Ed25519 keys, as every verifier sees them. A key is published as <em>next</em> before it signs anything, signs as <em>current</em> after
          a rotation, and stays published as <em>previous</em> until the last token it signed has expired, so a rotation signs nobody out. A rotation is refused
          until the next key has been published for {env.SIGNING_KEY_PUBLISH_LEAD_SECONDS} s (<code>SIGNING_KEY_PUBLISH_LEAD_SECONDS</code>), long enough for
          verifiers to have fetched it.
        </Prose>
        <SigningKeys keys={keys} canRotate={viewer?.user.role === 'admin'} />
      </Section>
      <Section id="drill" title="Outage drill">
        <Prose>
          The article&apos;s infrastructure row, live: the drill signs in one throwaway session per mode, stops the database for {DRILL_OUTAGE_MS / 1000}{' '}
          seconds, and sends every token through the front door meanwhile. A stateless check needs only the key, so its reads go on, and so do hybrid&apos;s,
          whose refresh is refused until the database is back; a stateful check cannot trust its token without the row, so it answers 503 until the database is
          back, and never falls back to the bare token.
        </Prose>
        {canRunDrill() ? (
          viewer?.user.role === 'admin' ? (
            <OutageDrill outageSeconds={DRILL_OUTAGE_MS / 1000} />
          ) : (
            <p data-testid="drill-admins-only" className="text-sm">
              It takes the shared database down for everyone, so only an admin may run it (the demo account alice@example.com is one). {viewer ? null : logIn}
            </p>
          )
        ) : (
          <p data-testid="drill-unavailable" className="max-w-3xl text-sm text-slate-700">
            This server cannot run it: stopping the database from a web page is safe only where a supervisor owns the database and brings it back after a
            bounded time. Start <code>npm run demo:cluster</code> (two instances on PostgreSQL) to run it; the latest result on this database, if any, is shown
            below.
          </p>
        )}
        {drill ? <DrillResults run={drill} /> : <p className="text-sm text-slate-500">No outage drill has been run on this database yet.</p>}
      </Section>
      <Section id="anatomy" title="Token anatomy">
        <Prose>
          Samples issued by the same code as real sessions, but signed with throwaway keys so they cannot be used. A JWT is signed, not encrypted: whatever is
          in the payload is public.
        </Prose>
        <TokenAnatomy samples={samples} unsealMicros={bench?.result.ironUnseal.p50 ?? null} />
      </Section>
    </div>
  );
}
