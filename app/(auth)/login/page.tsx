import type { Metadata } from 'next';
import Link from 'next/link';
import { AlreadySignedIn } from '@/components/already-signed-in';
import { LoginForm } from '@/components/login-form';
import { getSession, safeNextPath } from '@/lib/session/11-dal';
import { FLOODED_PARAM } from '@/lib/session/hardening/login-gate';
import { noticeText } from '@/lib/view/notices';
import { listDemoAccounts } from '@/lib/demo-users';

/** Shown when a visitor with no session at all is sent to log in before seeing a page. */
const LOGIN_REQUIRED_NOTICE = 'Please log in to see that page.';
/** Shown when the proxy refused a login for the whole server: too many failed sign-ins, or too many passwords to check (login-gate.ts). */
const FLOODED_NOTICE =
  'Your login was not checked: this server has had too many failed sign-ins, or has too many passwords to check, right now. A browser that has signed in to its account before can still sign in. Try again in a minute.';

export const metadata: Metadata = { title: 'Log in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const [demo, session] = await Promise.all([listDemoAccounts(), getSession()]);
  // A visitor sent here from a page (?next=) with no other reason simply has no session yet.
  const notice =
    params[FLOODED_PARAM] === '1'
      ? FLOODED_NOTICE
      : (noticeText(params.reason) ?? (typeof params.next === 'string' && !session ? LOGIN_REQUIRED_NOTICE : undefined));
  return (
    <div className="mx-auto flex max-w-sm flex-col gap-4">
      <h1 className="text-2xl font-bold">Log in</h1>
      {notice ? (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm">
          {notice}
        </p>
      ) : null}
      {session ? <AlreadySignedIn session={session} next={next} action="Logging in" /> : null}
      <LoginForm next={next} />
      <p className="text-sm">
        No account? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Sign up</Link>
      </p>
      {demo.length > 0 ? (
        <section aria-labelledby="demo-heading" className="rounded-md border border-slate-200 bg-white p-3 text-sm">
          <h2 id="demo-heading" className="mb-1 font-semibold">
            Demo accounts
          </h2>
          <p className="mb-2 text-slate-600">
            Created by the seed on this server. To watch a device being signed out, log in as the <em>same</em> account in a second browser or a private window,
            then sign it out from this one&apos;s Devices page.
          </p>
          <ul className="flex flex-col gap-1">
            {demo.map((user) => (
              <li key={user.email} className="break-all font-mono text-xs">
                {user.email} / {user.password} <span className="font-sans text-slate-500">({user.role})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
