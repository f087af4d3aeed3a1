import type { Metadata } from 'next';
import { Countdown } from '@/components/countdown';
import { getSessionCheck, verifySession } from '@/lib/dal';

export const metadata: Metadata = { title: 'Dashboard' };

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre aria-label={label} className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export default async function DashboardPage() {
  const session = await verifySession();
  const check = await getSessionCheck();
  const { header, payload } = session.token;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Hello, {session.user.name}</h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <dt className="font-medium">Mode</dt>
        <dd data-testid="session-mode">{session.mode}</dd>
        <dt className="font-medium">User id</dt>
        <dd className="font-mono">{session.user.id}</dd>
        <dt className="font-medium">Role</dt>
        <dd>{session.user.role}</dd>
        {session.user.email ? (
          <>
            <dt className="font-medium">Email</dt>
            <dd>{session.user.email}</dd>
          </>
        ) : null}
        <dt className="font-medium">Signed in at</dt>
        <dd>{session.issuedAt.toISOString()}</dd>
        <dt className="font-medium">Token expires in</dt>
        <dd data-testid="token-countdown">
          <Countdown until={payload.exp} label="Time until the token expires" />
        </dd>
        <dt className="font-medium">This request&apos;s check</dt>
        <dd data-testid="session-check">
          {check.micros} µs, {check.queries} database {check.queries === 1 ? 'query' : 'queries'}
        </dd>
      </dl>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Decoded token</h2>
        <p className="text-sm text-slate-600">
          {session.mode === 'stateless'
            ? 'Everything the server knows about you travels in this payload. It is signed, not encrypted: anyone holding the cookie can read it.'
            : 'The payload holds only a random session id. Who you are, and whether the session is still alive, is looked up in the session table on every request.'}
        </p>
        <div className="grid gap-3 md:grid-cols-2">
          <div>
            <h3 className="mb-1 text-sm font-medium">Header</h3>
            <Json value={header} label="Token header" />
          </div>
          <div>
            <h3 className="mb-1 text-sm font-medium">Payload</h3>
            <Json value={payload} label="Token payload" />
          </div>
        </div>
      </section>
    </div>
  );
}
