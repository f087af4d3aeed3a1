import type { Metadata } from 'next';
import Link from 'next/link';
import { cookies } from 'next/headers';
import { LiveRefresh } from '@/components/live-refresh';
import { SubmitButton } from '@/components/submit-button';
import { getEnv } from '@/lib/env';
import { DEMO_USERS } from '@/lib/demo-users';
import { costChecks, outageChecks, secondDeviceChecks, stolenCookieChecks, tokenChecks, type LiveCheck } from '@/lib/lab/try-checks';
import { sessionCookieNames } from '@/lib/lab/stolen-cookie';
import type { Session } from '@/lib/session/05-session';
import { getSession } from '@/lib/session/11-dal';
import { formatDuration } from '@/lib/view/format';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { signOutStolenSession, stealThisSession } from './actions';

export const metadata: Metadata = { title: 'Try it' };

type Experiment = {
  id: string;
  title: string;
  steps: React.ReactNode[];
  expected: Record<SessionMode, string>;
  checks: LiveCheck[] | null;
  extra?: React.ReactNode;
};

function Checks({ id, checks }: { id: string; checks: LiveCheck[] }) {
  return (
    <div role="status" className="rounded-md border border-slate-200 bg-white p-3">
      <h3 className="mb-1 text-sm font-semibold">What this server sees now</h3>
      <ul data-testid={`checks-${id}`} className="flex flex-col gap-1 text-sm">
        {checks.map((check) => (
          <li key={check.key} className="flex gap-2">
            <span aria-hidden="true" className={check.done ? 'font-bold text-emerald-700' : 'text-slate-500'}>
              {check.done ? '✓' : '○'}
            </span>
            <span>
              <span className="sr-only">{check.done ? 'Seen: ' : 'Not yet: '}</span>
              <span data-testid={`check-${check.key}`} data-done={check.done}>
                {check.text}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExperimentSection({ experiment, index }: { experiment: Experiment; index: number }) {
  const { id, title, steps, expected, checks, extra } = experiment;
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="flex scroll-mt-4 flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {index + 1}. {title}
      </h2>
      <ol className="list-decimal pl-6 text-sm">
        {steps.map((step, i) => (
          <li key={i}>{step}</li>
        ))}
      </ol>
      <h3 className="text-sm font-semibold">What to expect</h3>
      <dl className="-mt-2 grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        {SESSION_MODES.map((mode) => (
          <div key={mode} className="contents">
            <dt className="font-medium capitalize">{mode}</dt>
            <dd>{expected[mode]}</dd>
          </div>
        ))}
      </dl>
      {extra}
      {checks ? (
        <Checks id={id} checks={checks} />
      ) : (
        <p className="text-sm">
          <Link href={`/login?next=${encodeURIComponent(`/try#${id}`)}`}>Log in</Link> to see what the server detects at each step.
        </p>
      )}
    </section>
  );
}

async function cookieBytesOf(session: Session) {
  const jar = await cookies();
  const names = sessionCookieNames(session.mode);
  return names.reduce((sum, name) => sum + Buffer.byteLength(`${name}=${jar.get(name)?.value ?? ''}`), 0);
}

export default async function TryPage() {
  const session = await getSession();
  const env = getEnv();
  const stateless = formatDuration(env.STATELESS_TOKEN_TTL_SECONDS);
  const access = formatDuration(env.HYBRID_ACCESS_TTL_SECONDS);
  const [admin] = DEMO_USERS.filter((user) => user.role === 'admin');
  const stolen = session ? stolenCookieChecks(session.user.id) : null;
  const [second, outage, cost] = session ? await Promise.all([secondDeviceChecks(session), outageChecks(), costChecks(session)]) : [null, null, null];
  const token = session ? tokenChecks(session, await cookieBytesOf(session)) : null;

  const experiments: Experiment[] = [
    {
      id: 'second-device',
      title: 'Sign a second device out',
      steps: [
        'Log in here, and note the mode in the header.',
        'Open a private window (or another browser), pick the same mode in its header, and log in there as the same account: each browser keeps its own mode.',
        <>
          Back here, open <Link href="/devices">Devices</Link> and sign the other one out.
        </>,
        'In the other window, reload the page, then try to change something (switch its mode).',
      ],
      expected: {
        stateless: `It keeps reading pages until its token expires (up to ${stateless} after its login); any change it tries is refused.`,
        stateful: 'Its next request lands on the login page: the server read the signed-out row.',
        hybrid: `It keeps reading until its access token expires (up to ${access}); then its refresh is refused. Any change is refused at once.`,
      },
      checks: second,
    },
    {
      id: 'stolen-cookie',
      title: 'Someone stole your cookie',
      steps: [
        'Let the lab copy your session cookies: it plays a thief on another machine, sending them every second.',
        'Sign this session out below, the only way to end a copy of it, and log in again: your new session is one the thief never saw.',
        'Back here, see what the sign-out took from the thief, and what it could not.',
      ],
      expected: {
        stateless: `The thief keeps reading as you until the token expires (up to ${stateless}); only its attempts to act are refused.`,
        stateful: 'The thief is refused on its next request, within a second.',
        hybrid: `The thief reads until the access token expires (up to ${access}); acting and refreshing are refused at once.`,
      },
      checks: stolen?.checks ?? null,
      extra: session ? (
        <div className="flex flex-wrap gap-3">
          <form action={stealThisSession}>
            <SubmitButton pendingText="Copying…">Let the lab steal a copy</SubmitButton>
          </form>
          {stolen?.theft && stolen.theft.signedOutAtMs === null ? (
            <form action={signOutStolenSession}>
              <SubmitButton pendingText="Signing out…">Sign this session out</SubmitButton>
            </form>
          ) : null}
        </div>
      ) : null,
    },
    {
      id: 'token',
      title: 'Switch modes and see what the token carries',
      steps: [
        'Switch the mode in the header.',
        <>
          See the line below change, and compare the tokens on <a href="/compare#anatomy">Compare</a>.
        </>,
      ],
      expected: {
        stateless: 'Your id, name and role, signed (HS256): the server believes them without a query.',
        stateful: 'Only a random session id: everything else is in the row the server reads.',
        hybrid: 'Your id, name, role and session id, signed with Ed25519 under a key id; a second cookie holds the refresh token.',
      },
      checks: token,
    },
    {
      id: 'outage',
      title: 'The database goes away',
      steps: [
        <>
          Log in as the admin ({admin?.email ?? 'an admin account'}) and run the outage drill on <a href="/compare#drill">Compare</a>.
        </>,
        'Its result shows here, for every signed-in user.',
      ],
      expected: {
        stateless: 'Served throughout: a check needs only the signing key.',
        stateful: 'Refused (503) while the database is away, served again when it returns.',
        hybrid: 'Reads served throughout; refreshes refused while the database is away.',
      },
      checks: outage,
    },
    {
      id: 'cost',
      title: 'What each mode costs a request',
      steps: [
        'Reload this page in each mode.',
        <>
          For whole requests and the spread, see <a href="/compare#bench">the benchmark</a> on Compare.
        </>,
      ],
      expected: {
        stateless: 'The cheapest check: a signature, no query. One page load is a noisy sample; the median says more.',
        stateful: 'The same plus one indexed query on every request.',
        hybrid: 'Like stateless between refreshes; one refresh, with its queries, per access token.',
      },
      checks: cost,
    },
  ];

  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <h1 className="text-2xl font-bold">Try it: five experiments</h1>
      <p>
        Each takes a minute or two and shows one claim of the article on this server. A step the server itself detects gets a ✓ below it; the list refreshes
        every few seconds.
      </p>
      <nav aria-label="Experiments">
        <ol className="list-decimal pl-6">
          {experiments.map((experiment) => (
            <li key={experiment.id}>
              <a href={`#${experiment.id}`}>{experiment.title}</a>
            </li>
          ))}
        </ol>
      </nav>
      {experiments.map((experiment, index) => (
        <ExperimentSection key={experiment.id} experiment={experiment} index={index} />
      ))}
      {session ? <LiveRefresh everyMs={2000} /> : null}
    </div>
  );
}
