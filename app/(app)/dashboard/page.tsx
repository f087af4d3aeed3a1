import type { Metadata } from 'next';
import Link from 'next/link';
import { Countdown } from '@/components/countdown';
import { HybridRenewal } from '@/components/hybrid-renewal';
import type { SessionMode } from '@/lib/session/modes';
import { formatMicros } from '@/lib/lab/comparison';
import { getCheckMeasurement } from '@/lib/lab/observe';
import { requireSession } from '@/lib/session/11-dal';
import { getEnv } from '@/lib/env';
import { formatDuration } from '@/lib/view/format';
import { MIN_SAMPLES, getSessionCheckStats } from '@/lib/lab/metrics';

export const metadata: Metadata = { title: 'Dashboard' };

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre aria-label={label} className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

const EXPIRY_LABEL: Record<SessionMode, string> = {
  stateless: 'Token expires in',
  stateful: 'Session ends at the latest in',
  hybrid: 'Access token expires in',
};

/** What the decoded token is, in each mode. */
const TOKEN_EXPLAINED: Record<SessionMode, string> = {
  stateless: 'Everything the server knows about you travels in this payload. It is signed, not encrypted: anyone holding the cookie can read it.',
  stateful:
    'The payload holds only a random session id. Who you are, and whether the session is still alive, is looked up in the session table on every request.',
  hybrid:
    'A short-lived access token: who you are travels in it, as in stateless mode, and it is checked without a lookup. It is signed with Ed25519; the kid names the public key in /.well-known/jwks.json, so any service can verify it without the secret. Your refresh token (another HttpOnly cookie, never shown) renews it; each renewal rotates the refresh token and reads the session row once.',
};

export default async function DashboardPage() {
  const session = await requireSession();
  const check = getCheckMeasurement(session);
  const stats = getSessionCheckStats()[session.mode];
  const env = getEnv();
  const { header, payload } = session.token;
  // The server ends an idle stateful session itself; "last active" is written at most once per
  // SESSION_ACTIVITY_INTERVAL_SECONDS, so this deadline is exact to about that much.
  const idleUntilUnix = session.lastActiveAt ? Math.floor(session.lastActiveAt.getTime() / 1000) + env.SESSION_IDLE_TIMEOUT_SECONDS : null;
  // After a mode switch the session keeps its old end, which can come before the idle limit.
  const idleEndsFirst = idleUntilUnix !== null && idleUntilUnix < payload.exp;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="break-words text-2xl font-bold">Hello, {session.user.name}</h1>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_minmax(0,1fr)] sm:gap-y-2">
        <dt className="font-medium">Mode</dt>
        <dd data-testid="session-mode" className="mb-2 sm:mb-0">
          {session.mode}
        </dd>
        <dt className="font-medium">User id</dt>
        <dd className="mb-2 break-all font-mono sm:mb-0">{session.user.id}</dd>
        <dt className="font-medium">Role</dt>
        <dd className="mb-2 sm:mb-0">{session.user.role}</dd>
        {session.user.email ? (
          <>
            <dt className="font-medium">Email</dt>
            <dd className="mb-2 break-all sm:mb-0">{session.user.email}</dd>
          </>
        ) : null}
        <dt className="font-medium">{session.authenticatedAt ? 'Signed in at' : 'Token issued at'}</dt>
        <dd className="mb-2 sm:mb-0">{(session.authenticatedAt ?? session.issuedAt).toISOString()}</dd>
        <dt className="font-medium">{EXPIRY_LABEL[session.mode]}</dt>
        <dd className="mb-2 sm:mb-0">
          <span data-testid="token-countdown">
            <Countdown until={payload.exp} label="Time until the token expires" />
          </span>
          <span className="text-slate-600">
            {session.mode === 'stateless' ? ' (then you log in again: there is no idle limit and no refresh)' : ''}
            {session.mode === 'hybrid'
              ? ` (the next request in the last ${formatDuration(env.HYBRID_REFRESH_LEEWAY_SECONDS)} renews it. Renewals never extend the session's absolute end, and a session with no renewal for ${formatDuration(env.SESSION_IDLE_TIMEOUT_SECONDS)} ends.)`
              : ''}{' '}
            A mode switch never extends a session: the new one ends when the old one would have.
          </span>
        </dd>
        {session.mode === 'hybrid' ? (
          <>
            <dt className="font-medium">Renewal</dt>
            <dd className="mb-2 sm:mb-0">
              <HybridRenewal expUnix={payload.exp} leewaySeconds={env.HYBRID_REFRESH_LEEWAY_SECONDS} />
            </dd>
          </>
        ) : null}
        {idleEndsFirst ? (
          <>
            <dt className="font-medium">Idle limit</dt>
            <dd data-testid="idle-countdown" className="mb-2 sm:mb-0">
              ends after {formatDuration(env.SESSION_IDLE_TIMEOUT_SECONDS)} without a request: in{' '}
              <Countdown until={idleUntilUnix} label="Time until the idle limit ends this session" />{' '}
              <span className="text-slate-600">
                unless you keep browsing (each request counts
                {env.SESSION_ACTIVITY_INTERVAL_SECONDS > 0 ? `, recorded at most once every ${formatDuration(env.SESSION_ACTIVITY_INTERVAL_SECONDS)}` : ''})
              </span>
            </dd>
          </>
        ) : null}
        <dt className="font-medium">This request&apos;s check</dt>
        <dd data-testid="session-check" className="mb-2 sm:mb-0">
          {check
            ? `${check.micros} µs, ${check.queries} database ${check.queries === 1 ? 'query' : 'queries'}`
            : 'not measured (the lab observer is not running)'}
          <span data-testid="session-check-context" className="block text-slate-600">
            {stats.enough
              ? `One sample. This server's ${session.mode} checks: median ${formatMicros(stats.p50)}, middle half ${formatMicros(stats.p25)}–${formatMicros(stats.p75)}, p95 ${formatMicros(stats.p95)} over ${stats.count.toLocaleString('en')} requests.`
              : `One sample, and a noisy one: ${stats.count} of the ${MIN_SAMPLES} ${session.mode} requests needed before this server shows a median. See the benchmark on `}
            {stats.enough ? null : (
              <>
                <Link href="/compare">/compare</Link>.
              </>
            )}
          </span>
        </dd>
      </dl>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Decoded token</h2>
        <p className="text-sm text-slate-600">{TOKEN_EXPLAINED[session.mode]}</p>
        <div className="grid gap-3 md:grid-cols-2">
          <div className="min-w-0">
            <h3 className="mb-1 text-sm font-medium">Header</h3>
            <Json value={header} label="Token header" />
          </div>
          <div className="min-w-0">
            <h3 className="mb-1 text-sm font-medium">Payload</h3>
            <Json value={payload} label="Token payload" />
          </div>
        </div>
      </section>
    </div>
  );
}
