import type { Metadata } from 'next';
import Link from 'next/link';
import { BarChart, type Bar } from '@/components/bar-chart';
import { BenchmarkRunner } from '@/components/benchmark-runner';
import { CliBenchResults } from './cli-bench';
import { OutageDrill } from '@/components/outage-drill';
import { RevocationLab } from '@/components/revocation-lab';
import type { BenchmarkResult } from '@/lib/lab/benchmark';
import { buildComparison, describeOutageTally, formatMicros, type Agreement, type ComparisonRow } from '@/lib/lab/comparison';
import { canRunDrill, DRILL_OUTAGE_MS, type DrillResult } from '@/lib/lab/outage-drill';
import { describeDatabase, describeInstance } from '@/lib/lab/runs';
import { getOptionalSession } from '@/lib/session/dal';
import { getEnv } from '@/lib/env';
import { MIN_SAMPLES } from '@/lib/lab/metrics';
import { LAB_TTL_SECONDS } from '@/lib/lab/revocation-lab';
import type { StoredRun } from '@/lib/lab/runs';
import { COOKIE_LIMIT_BYTES, type TokenSample } from '@/lib/lab/token-anatomy';

export const metadata: Metadata = { title: 'Compare' };

const MARKS: Record<Agreement, { text: string; className: string }> = {
  agrees: { text: '✓ agrees', className: 'text-emerald-700' },
  disagrees: { text: '✗ disagrees', className: 'text-red-700' },
  'too-close': { text: '≈ too close to call', className: 'text-slate-600' },
  'too-few': { text: 'not enough requests yet', className: 'text-slate-500' },
  unmeasured: { text: 'not measured yet', className: 'text-slate-500' },
};

function Cell({ mode, measured, verdict }: { mode: string; measured: string | null; verdict: string }) {
  return (
    <td className="block px-3 py-1 align-top sm:table-cell sm:border-t sm:border-slate-200 sm:py-2">
      <span className="font-semibold sm:hidden">{mode}: </span>
      <span className="font-mono text-xs sm:text-sm">{measured ?? '—'}</span>
      <div className="text-xs text-slate-500">Article: {verdict}</div>
    </td>
  );
}

function HeadCell({ children, className = '' }: { children: React.ReactNode; className?: string }) {
  return (
    <th scope="col" className={`px-3 py-2 ${className}`}>
      {children}
    </th>
  );
}

/** The two modes' column headings, in the modes' colours, for every table on the page. */
function ModeHeadCells() {
  return (
    <>
      <HeadCell className="text-amber-800">Stateless</HeadCell>
      <HeadCell className="text-emerald-800">Stateful</HeadCell>
    </>
  );
}

function ComparisonTable({ rows }: { rows: ComparisonRow[] }) {
  return (
    <div>
      {/* Below the sm breakpoint each row becomes a card, so a phone shows both modes without scrolling sideways. */}
      <table className="block w-full border-collapse rounded-lg bg-white text-left text-sm sm:table">
        <caption className="sr-only">The article&apos;s claims against measurements on this server</caption>
        <thead className="hidden sm:table-header-group">
          <tr className="bg-slate-100">
            <HeadCell>Claim</HeadCell>
            <ModeHeadCells />
            <HeadCell>Verdict</HeadCell>
          </tr>
        </thead>
        <tbody className="block sm:table-row-group">
          {rows.map((row) => (
            <tr key={row.key} data-testid={`row-${row.key}`} className="block border-t border-slate-200 py-2 sm:table-row sm:py-0">
              <th scope="row" className="block px-3 py-1 align-top font-medium sm:table-cell sm:border-t sm:border-slate-200 sm:py-2">
                {row.label}
                <div className="text-xs font-normal text-slate-500">{row.source}</div>
              </th>
              <Cell mode="Stateless" measured={row.measured.stateless} verdict={row.article.stateless} />
              <Cell mode="Stateful" measured={row.measured.stateful} verdict={row.article.stateful} />
              <td className={`block px-3 py-1 align-top font-medium sm:table-cell sm:border-t sm:border-slate-200 sm:py-2 ${MARKS[row.agreement].className}`}>
                {MARKS[row.agreement].text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BenchmarkResults({ run }: { run: StoredRun<BenchmarkResult> }) {
  const { modes, floors, ironUnseal } = run.result;
  const micros = (label: string, value: number, tone: Bar['tone']): Bar => ({ label, value, display: formatMicros(value), tone });
  const latency: Bar[] = [
    micros('Stateless check p50', modes.stateless.p50, 'stateless'),
    micros('Stateless check p95', modes.stateless.p95, 'stateless'),
    micros('Stateless, first sight of a token p50', modes.stateless.cold.p50, 'stateless'),
    micros('Stateless, library path (jose) p50', modes.stateless.library.p50, 'stateless'),
    micros('Stateful check p50', modes.stateful.p50, 'stateful'),
    micros('Stateful check p95', modes.stateful.p95, 'stateful'),
    micros('Stateful, first sight of a token p50', modes.stateful.cold.p50, 'stateful'),
    micros('Stateful, library path (jose, Prisma) p50', modes.stateful.library.p50, 'stateful'),
    micros('Floor: raw HMAC p50', floors.hmac.p50, 'floor'),
    micros('Floor: raw lookup p50', floors.lookup.p50, 'floor'),
    micros('iron-session unseal p50', ironUnseal.p50, 'other'),
  ];
  const throughput: Bar[] = [
    { label: 'Stateless checks', value: modes.stateless.perSecond, display: `${modes.stateless.perSecond.toLocaleString('en')}/s`, tone: 'stateless' },
    { label: 'Stateful checks', value: modes.stateful.perSecond, display: `${modes.stateful.perSecond.toLocaleString('en')}/s`, tone: 'stateful' },
    { label: 'Floor: raw HMAC', value: floors.hmac.perSecond, display: `${floors.hmac.perSecond.toLocaleString('en')}/s`, tone: 'floor' },
    { label: 'Floor: raw lookup', value: floors.lookup.perSecond, display: `${floors.lookup.perSecond.toLocaleString('en')}/s`, tone: 'floor' },
  ];
  return (
    <div data-testid="benchmark-results" className="flex flex-col gap-4">
      <p className="text-sm text-slate-600">
        Run of {run.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC · {run.result.iterations.toLocaleString('en')} checks per mode · {run.machine} ·
        database {run.database}. Queries per check: stateless {modes.stateless.queriesPerCheck}, stateful {modes.stateful.queriesPerCheck}.
      </p>
      <BarChart
        id="latency"
        title="Latency per session check (lower is better)"
        description="Microseconds per check: as requests see it, on a token's first sight, and the library path it replaced, with the hardware floors."
        valueHeading="Time per check"
        bars={latency}
      />
      <BarChart
        id="throughput"
        title="Checks per second on one core (higher is better)"
        description="Sequential checks per second."
        valueHeading="Checks per second"
        bars={throughput}
      />
      <p data-testid="benchmark-gap" className="max-w-3xl text-sm">
        What each optimisation bought. A stateless check is {(modes.stateless.p50 / floors.hmac.p50).toFixed(1)}× a bare HMAC check as requests see it: the
        proxy verified the token first, and the data-access layer finds it in the cache of verified tokens. The first sight of a token costs{' '}
        {formatMicros(modes.stateless.cold.p50)} ({(modes.stateless.cold.p50 / floors.hmac.p50).toFixed(1)}× the floor) with node:crypto, against{' '}
        {formatMicros(modes.stateless.library.p50)} through jose&apos;s general path. A stateful check adds{' '}
        {formatMicros(modes.stateful.p50 - modes.stateless.p50)} to that, against a bare lookup of {formatMicros(floors.lookup.p50)}: its row is read on every
        request through a prepared statement, which through Prisma&apos;s query engine cost{' '}
        {formatMicros(modes.stateful.library.p50 - modes.stateless.library.p50)}. The cache never skips that read, so revocation stays instant; what copying it
        costs you is the memory (at most <code>VERIFIED_TOKEN_CACHE_ENTRIES</code> tokens) and a verifier you own.
      </p>
    </div>
  );
}

function DrillResults({ run }: { run: StoredRun<DrillResult> }) {
  const { tallies, recoveryMs, outageMs, intervalMs } = run.result;
  const phases = [
    ['before', 'Before'],
    ['during', `During the ${outageMs / 1000} s outage`],
    ['after', 'After it returned'],
  ] as const;
  return (
    <div data-testid="drill-results" className="flex flex-col gap-2 text-sm">
      <p className="text-slate-600">
        Run of {run.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC · database {run.database} · {run.result.instances}{' '}
        {run.result.instances === 1 ? 'instance' : 'instances'} behind the front door · both tokens sent every {intervalMs} ms · {run.machine}.
      </p>
      <table className="w-full max-w-2xl border-collapse rounded-lg bg-white text-left">
        <caption className="sr-only">Requests served per phase of the outage drill</caption>
        <thead>
          <tr className="bg-slate-100">
            <HeadCell>Phase</HeadCell>
            <ModeHeadCells />
          </tr>
        </thead>
        <tbody>
          {phases.map(([phase, label]) => (
            <tr key={phase} data-testid={`drill-${phase}`} className="border-t border-slate-200">
              <th scope="row" className="px-3 py-2 font-medium">
                {label}
              </th>
              <td className="px-3 py-2 font-mono text-xs">{describeOutageTally(tallies[phase].stateless)}</td>
              <td className="px-3 py-2 font-mono text-xs">{describeOutageTally(tallies[phase].stateful)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="drill-recovery">
        Stateful requests served again after the database returned:{' '}
        {Object.entries(recoveryMs)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([instance, ms]) => `instance ${instance} after ${ms === null ? 'more than 10 s' : `${ms} ms`}`)
          .join(', ')}
        , with no restart.
      </p>
    </div>
  );
}

function TokenAnatomy({ samples, unsealMicros }: { samples: TokenSample[]; unsealMicros: number | null }) {
  const titles: Record<TokenSample['mode'], string> = { stateless: 'Stateless JWT', stateful: 'Stateful JWT', sealed: 'Same claims sealed with iron-session' };
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      {samples.map((sample) => (
        <article
          key={sample.mode}
          data-testid={`anatomy-${sample.mode}`}
          className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
        >
          <h3 className="font-semibold">{titles[sample.mode]}</h3>
          <p>
            {sample.cookieBytes} bytes as a cookie ({((sample.cookieBytes / COOKIE_LIMIT_BYTES) * 100).toFixed(1)}% of 4,096)
            {sample.mode === 'sealed' && unsealMicros !== null ? `; unsealing costs ${formatMicros(unsealMicros)} (benchmark)` : ''}
          </p>
          <code className="block break-all rounded bg-slate-100 p-2 font-mono text-xs">{sample.token}</code>
          {sample.payload ? (
            <>
              <p className="text-xs text-slate-600">Anyone holding this cookie can decode it:</p>
              <pre className="overflow-x-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">
                {JSON.stringify({ header: sample.header, payload: sample.payload }, null, 2)}
              </pre>
            </>
          ) : (
            <p className="text-xs text-slate-600">
              Encrypted and authenticated: opaque to the browser and to anyone who steals it, but bigger and slower to open.
            </p>
          )}
        </article>
      ))}
    </div>
  );
}

export default async function ComparePage() {
  const viewer = await getOptionalSession();
  const { rows, bench, cliBench, drill, samples } = await buildComparison(viewer?.user ?? null);
  const clockToleranceSeconds = getEnv().CLOCK_TOLERANCE_SECONDS;
  return (
    <div className="flex flex-col gap-8">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold">Stateless vs stateful, measured on this server</h1>
        <p className="max-w-3xl text-sm text-slate-700">
          This app answers the article <cite>“JWT Session Token Implementation: Stateful vs. Stateless”</cite>. In short, it argues that a stateless token,
          carrying every claim and checked by its signature alone, is faster and scales out more easily because no request waits on a database, but cannot be
          taken back before it expires and grows every request; while a stateful token, carrying only a session id looked up on each request, can be revoked at
          once and supports &ldquo;log out of all devices&rdquo;, at the price of a lookup per request and a session store that must always be up.
        </p>
        <p className="max-w-3xl text-sm text-slate-700">
          The article rates the two designs in words. Each cell below is a number this running server measured, with the article&apos;s word beside it and a
          mark where they agree or not. A row judges only with enough samples ({MIN_SAMPLES} requests per mode for the live latency), and shows the spread with
          the median. Browse a few pages in each mode (switch in the header) to feed the live rows, or run the benchmark.
        </p>
        <p data-testid="measured-on" className="max-w-3xl text-sm font-medium text-slate-800">
          Measured on {describeInstance()}, database {describeDatabase()}. Live rows count this process&apos;s own requests.
        </p>
      </header>
      <section aria-labelledby="table-heading" className="flex flex-col gap-3">
        <h2 id="table-heading" className="text-lg font-semibold">
          The table
        </h2>
        <ComparisonTable rows={rows} />
      </section>
      <section aria-labelledby="bench-heading" className="flex flex-col gap-3">
        <h2 id="bench-heading" className="text-lg font-semibold">
          Benchmark
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          Runs the app&apos;s own session check thousands of times per mode against freshly issued tokens, next to two floors on the same tokens and database: a
          bare node:crypto HMAC-SHA256 verification and a bare indexed lookup.
        </p>
        <BenchmarkRunner canRun={!!viewer} />
        {bench ? <BenchmarkResults run={bench} /> : <p className="text-sm text-slate-500">No benchmark has been run on this database yet.</p>}
        <CliBenchResults run={cliBench} />
      </section>
      <section aria-labelledby="lab-heading" className="flex flex-col gap-3">
        <h2 id="lab-heading" className="text-lg font-semibold">
          Revocation lab
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          Creates one throwaway session per mode for you, signs both out, and replays each token against <code>/api/session</code> every few hundred
          milliseconds. Lab tokens live {LAB_TTL_SECONDS} seconds so you can watch the stateless one finally die. It dies a little after that: the server
          accepts a token until <code>exp</code> plus its clock tolerance of {clockToleranceSeconds} seconds (<code>CLOCK_TOLERANCE_SECONDS</code>, which
          absorbs clock drift between servers), so expect about {LAB_TTL_SECONDS + clockToleranceSeconds} seconds.
        </p>
        <RevocationLab canRun={!!viewer} />
        {!viewer ? (
          <p className="text-sm">
            <Link href="/login?next=%2Fcompare">Log in</Link> to run the benchmark and the lab.
          </p>
        ) : null}
      </section>
      <section aria-labelledby="drill-heading" className="flex flex-col gap-3">
        <h2 id="drill-heading" className="text-lg font-semibold">
          Outage drill
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          The article&apos;s infrastructure row, live: the drill signs in one throwaway session per mode, stops the database for {DRILL_OUTAGE_MS / 1000}{' '}
          seconds, and sends both tokens through the front door meanwhile. A stateless check needs only the key, so its reads go on; a stateful check cannot
          trust its token without the row, so it answers 503 until the database is back, and never falls back to the bare token.
        </p>
        {canRunDrill() ? (
          viewer?.user.role === 'admin' ? (
            <OutageDrill outageSeconds={DRILL_OUTAGE_MS / 1000} />
          ) : (
            <p data-testid="drill-admins-only" className="text-sm">
              It takes the shared database down for everyone, so only an admin may run it (the demo account alice@example.com is one).{' '}
              {viewer ? null : <Link href="/login?next=%2Fcompare">Log in</Link>}
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
      </section>
      <section aria-labelledby="anatomy-heading" className="flex flex-col gap-3">
        <h2 id="anatomy-heading" className="text-lg font-semibold">
          Token anatomy
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          Samples issued by the same code as real sessions, but signed with a throwaway key so they cannot be used. A JWT is signed, not encrypted: whatever is
          in the payload is public.
        </p>
        <TokenAnatomy samples={samples} unsealMicros={bench?.result.ironUnseal.p50 ?? null} />
      </section>
    </div>
  );
}
