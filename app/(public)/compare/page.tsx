import type { Metadata } from 'next';
import Link from 'next/link';
import { BenchmarkRunner } from '@/components/benchmark-runner';
import { ModeSummaries } from '@/components/mode-summaries';
import { LabSecondVerifier } from '@/components/lab-second-verifier';
import { OutageDrill } from '@/components/outage-drill';
import { RevocationLab } from '@/components/revocation-lab';
import { buildComparison } from '@/lib/lab/comparison';
import { drillIsSimulated, DRILL_OUTAGE_MS } from '@/lib/lab/outage-drill';
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
import { WholeRequest } from './whole-request';

export const metadata: Metadata = { title: 'Compare' };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="flex scroll-mt-4 flex-col gap-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * A section for the expert, folded: the page above the first of them is what a learner reads. The
 * anchor is on the folded content, so following a link to it opens the section (the browser
 * unfolds a <details> to show a fragment inside it).
 */
function Folded({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <details data-folded className="group rounded-lg border border-slate-200 bg-white p-3">
      <summary className="cursor-pointer">
        <h2 id={`${id}-heading`} className="inline text-lg font-semibold">
          {title}
        </h2>
        <span className="ml-2 text-sm text-slate-600 group-open:hidden">(details: show)</span>
      </summary>
      <section id={id} aria-labelledby={`${id}-heading`} className="mt-3 flex scroll-mt-4 flex-col gap-3">
        {children}
      </section>
    </details>
  );
}

/** The page's map, in reading order: where to start, what to run, and the folded details. */
const CONTENTS = [
  [
    'Start here',
    [
      ['/try', 'Five experiments to try'],
      ['modes', 'The three modes'],
      ['table', "The article's table, measured"],
    ],
  ],
  [
    'Run it',
    [
      ['lab', 'Revocation lab'],
      ['bench', 'Benchmark'],
    ],
  ],
  [
    'Details',
    [
      ['verifier', 'Second verifier'],
      ['drill', 'Outage drill'],
      ['glossary', 'Words used here'],
      ['revocation-cost', 'Revocation window against reads'],
      ['bench-numbers', "The benchmark's numbers"],
      ['algorithms', 'Signing algorithms'],
      ['keys', 'Signing keys'],
      ['anatomy', 'Token anatomy'],
    ],
  ],
] as const;

const GLOSSARY: [term: string, meaning: string][] = [
  ['p50 (median)', 'half the measurements were faster, half slower: the typical case, which one slow request cannot move.'],
  ['Middle half (p25–p75, quartiles)', 'the range the middle 50% of the measurements fall in: the spread around the median.'],
  ['p95', '95% of the measurements were at least this fast: the slow tail a busy server shows now and then.'],
  [
    'Floor',
    'the least a check can cost on this machine: a bare HMAC for a signature, a bare indexed read for a row. A check near its floor has little left to gain.',
  ],
  ['First sight', "a token's first check in a process, before the cache of verified tokens knows it: what a new token or a new server instance pays once."],
  ['Revocation window', 'the time from signing a device out to the first request of it the server refuses.'],
  ['kid', "a token header's key id: which of the published keys verifies it, so keys can rotate without signing anyone out."],
  ['JWKS', 'the JSON Web Key Set at /.well-known/jwks.json: the public keys any service fetches to verify hybrid tokens without a secret.'],
  ['Clock tolerance', 'the seconds a token is still accepted after its exp, to absorb clock drift between servers (CLOCK_TOLERANCE_SECONDS).'],
  [
    'Refresh rotation',
    "every refresh swaps the refresh token for a new one; the old one presented again means someone holds a copy, and the session's whole family is signed out.",
  ],
];

function Prose({ children }: { children: React.ReactNode }) {
  return <p className="max-w-3xl text-sm text-slate-700">{children}</p>;
}

export default async function ComparePage() {
  const viewer = await getSession();
  const { rows, bench, cliBench, httpRun, lab, drill, samples, keys } = await buildComparison(viewer?.user ?? null);
  const env = getEnv();
  const clockToleranceSeconds = env.CLOCK_TOLERANCE_SECONDS;
  const logIn = <Link href="/login?next=%2Fcompare">Log in</Link>;
  return (
    <div className="flex flex-col gap-6">
      <header className="grid gap-x-6 gap-y-3 lg:grid-cols-[1fr_24rem]">
        <h1 className="text-2xl font-bold lg:col-span-2">Stateless vs stateful, measured on this server</h1>
        <div className="flex flex-col gap-2">
          <Prose>
            Each cell of the table is a number this server measured, beside the rating of the article{' '}
            <cite>“JWT Session Token Implementation: Stateful vs. Stateless”</cite> (for <strong>hybrid</strong>, which the article only hints at, what it
            promises). A row judges only with enough samples ({MIN_SAMPLES} requests per mode for live latency).
          </Prose>
          <p data-testid="session-path" className="text-sm text-slate-700">
            <span data-testid="measured-on" className="font-medium text-slate-800">
              Measured on {describeInstance()}, database {describeDatabase()}. Live rows count this process&apos;s own requests.
            </span>{' '}
            {getFastPathSettings().SESSION_FAST_PATH ? (
              <>
                This server runs the <strong>fast path</strong> (<code>SESSION_FAST_PATH</code> on): plug-ins beside the code you copy, held to its verdicts by
                their own tests. The benchmark measures both paths.
              </>
            ) : (
              <>
                This server runs the session code&apos;s <strong>own path</strong> (<code>SESSION_FAST_PATH=0</code>), as you would copy it: jose&apos;s{' '}
                <code>jwtVerify</code> and Prisma&apos;s <code>findUnique</code>, with no plug-in.
              </>
            )}
          </p>
        </div>
        <nav aria-label="On this page" data-testid="start-here" className="self-start rounded-lg border border-indigo-200 bg-indigo-50 p-3 text-sm">
          {CONTENTS.map(([group, links]) => (
            <p key={group}>
              <strong>{group}:</strong>{' '}
              {links.map(([id, title], index) => (
                <span key={id}>
                  {index > 0 ? ' · ' : null}
                  <a href={id.startsWith('/') ? id : `#${id}`}>{title}</a>
                </span>
              ))}
            </p>
          ))}
        </nav>
      </header>
      <Section id="modes" title="The three modes">
        <ModeSummaries headingLevel={3} />
      </Section>
      <Section id="table" title="The article's table, measured">
        <ComparisonTable rows={rows} />
      </Section>
      <Section id="lab" title="Revocation lab">
        <Prose>
          One throwaway session per mode, all signed out at once, then replayed against <code>/api/session</code> every few hundred ms. Lab tokens live{' '}
          {LAB_TTL_SECONDS} s, accepted until <code>exp</code> plus its clock tolerance of {clockToleranceSeconds} seconds: expect about{' '}
          {LAB_TTL_SECONDS + clockToleranceSeconds} seconds; hybrid&apos;s window comes from its access token&apos;s <code>exp</code>.
        </Prose>
        <RevocationLab
          canRun={!!viewer}
          windows={{ stateless: formatDuration(env.STATELESS_TOKEN_TTL_SECONDS), hybrid: formatDuration(env.HYBRID_ACCESS_TTL_SECONDS) }}
        />
        {!viewer ? <p className="text-sm">{logIn} to run the benchmark and the lab.</p> : null}
      </Section>
      <Section id="bench" title="Benchmark">
        <WholeRequest run={cliBench} httpRun={httpRun} canRun={!!viewer} />
        <BenchmarkRunner canRun={!!viewer} />
      </Section>
      <Folded id="verifier" title="Second verifier">
        <Prose>
          The article&apos;s &ldquo;decentralisation&rdquo;, live: another service (<code>verifier/server.mjs</code>) with no secret and no database, only the
          public keys at <code>/.well-known/jwks.json</code>. This page exchanges your session for a token of the verifier&apos;s own audience (RFC 8693,{' '}
          <code>POST /api/token</code>, valid {formatDuration(env.SERVICE_TOKEN_TTL_SECONDS)}): it passes there and is refused here as a session. Your session
          token itself is refused there, for its <code>type</code> (hybrid) or its <code>algorithm</code> (HS256 needs the secret that also signs).
        </Prose>
        <LabSecondVerifier canRun={!!viewer} />
      </Folded>
      <Folded id="drill" title="Outage drill">
        <Prose>
          The article&apos;s infrastructure row, live: the drill signs in one throwaway session per mode, takes the database away for {DRILL_OUTAGE_MS / 1000}{' '}
          seconds, and sends every token meanwhile. A stateless check needs only the key, so its reads go on, and so do hybrid&apos;s, whose refresh is refused
          until the database is back; a stateful check cannot trust its token without the row, so it answers 503 until the database is back, and never falls
          back to the bare token.
        </Prose>
        {viewer?.user.role === 'admin' ? (
          <OutageDrill outageSeconds={DRILL_OUTAGE_MS / 1000} simulated={drillIsSimulated()} />
        ) : (
          <p data-testid="drill-admins-only" className="text-sm">
            It takes the shared database away from everyone, so only an admin may run it (the demo account alice@example.com is one); everyone sees its latest
            result. {viewer ? null : logIn}
          </p>
        )}
        {drillIsSimulated() ? (
          <p data-testid="drill-simulated" className="max-w-3xl text-sm text-slate-700">
            On this single server the outage is <strong>simulated</strong>: for {DRILL_OUTAGE_MS / 1000} s every query of this process fails as an unreachable
            database would (SQLite has no server to stop). <code>npm run demo:cluster</code> stops a real PostgreSQL instead.
          </p>
        ) : null}
        {drill ? <DrillResults run={drill} /> : <p className="text-sm text-slate-500">No outage drill has been run on this database yet.</p>}
      </Folded>
      <Folded id="glossary" title="Words used here">
        <dl className="grid max-w-3xl gap-x-4 gap-y-1 text-sm sm:grid-cols-[14rem_1fr]">
          {GLOSSARY.map(([term, meaning]) => (
            <div key={term} className="contents">
              <dt className="font-medium">{term}</dt>
              <dd className="mb-1 text-slate-700">{meaning}</dd>
            </div>
          ))}
        </dl>
      </Folded>
      <Folded id="revocation-cost" title="Revocation window against database reads">
        <Prose>
          The article&apos;s trade-off in one picture: the longer a signed-out device may keep reading, the fewer database reads a mode needs. Stateless pays
          nothing and waits for its token&apos;s exp; stateful reads on every request and ends a session on the next one; hybrid reads once per access token and
          waits at most one access-token lifetime.
        </Prose>
        <RevocationCost bench={bench} lab={lab} />
      </Folded>
      <Folded id="bench-numbers" title="The benchmark's numbers, in process and over HTTP">
        <Prose>
          The button above runs the app&apos;s own session check thousands of times per mode on fresh tokens, beside two floors (a bare HMAC, a bare indexed
          read), counts the statements of real checks and refreshes, and times each signing algorithm.
        </Prose>
        {bench ? <BenchmarkResults run={bench} /> : <p className="text-sm text-slate-600">No benchmark has been run on this database yet.</p>}
        <CliBenchResults run={cliBench} />
      </Folded>
      <Folded id="algorithms" title="What each signing algorithm costs">
        <Prose>
          Stateless and stateful tokens are signed with HS256, an HMAC under one secret: whoever can verify one can also make one. Hybrid&apos;s access token is
          signed with EdDSA (Ed25519): the private key signs, and anyone holding the published public key can verify. Both, signing and verifying, with
          node:crypto directly and through jose, in the latest benchmark run.
        </Prose>
        <AlgorithmCostResults run={bench} cliRun={cliBench} />
      </Folded>
      <Folded id="keys" title="Signing keys">
        <Prose>
          Hybrid&apos;s Ed25519 keys, as every verifier sees them. A key is published as <em>next</em> before it signs anything, signs as <em>current</em> after
          a rotation, and stays published as <em>previous</em> until the last token it signed has expired, so a rotation signs nobody out. A rotation is refused
          until the next key has been published for {env.SIGNING_KEY_PUBLISH_LEAD_SECONDS} s (<code>SIGNING_KEY_PUBLISH_LEAD_SECONDS</code>), long enough for
          verifiers to have fetched it.
        </Prose>
        <SigningKeys keys={keys} canRotate={viewer?.user.role === 'admin'} />
      </Folded>
      <Folded id="anatomy" title="Token anatomy">
        <Prose>
          Samples issued by the same code as real sessions, but signed with throwaway keys so they cannot be used. A JWT is signed, not encrypted: whatever is
          in the payload is public.
        </Prose>
        <TokenAnatomy samples={samples} unsealMicros={bench?.result.ironUnseal.p50 ?? null} />
      </Folded>
    </div>
  );
}
