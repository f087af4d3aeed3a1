'use client';
// The error boundary of every page. One failure gets its own explanation: the session store
// (the database) out of reach. The custom server answers it with 503 and Retry-After; this page
// tells the visitor what that means for a session in each mode. It renders without the site
// header (which reads the session from the database), so it brings the navigation itself.
import Link from 'next/link';
import { STORE_UNAVAILABLE_DIGEST } from '@/lib/db/unavailable';
import { MAIN_ID, SiteNav, SkipLink } from '@/components/site-nav';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const storeDown = error.digest === STORE_UNAVAILABLE_DIGEST;
  return (
    <>
      <SkipLink />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto max-w-5xl px-4 py-2 sm:py-3">
          <SiteNav />
        </div>
      </header>
      <main id={MAIN_ID} tabIndex={-1} className="mx-auto flex max-w-md flex-col gap-3 px-4 py-10 text-center outline-none">
        <p className="font-mono text-sm text-slate-600">{storeDown ? '503' : '500'}</p>
        <h1 className="text-2xl font-bold">{storeDown ? 'The session store is unreachable' : 'Something went wrong'}</h1>
        {storeDown ? (
          <div role="alert" className="flex flex-col gap-2 text-slate-700">
            <p>
              This page needs the database, and the server cannot reach it right now. Nothing was signed out: your session works again as soon as it is back.
            </p>
            <p>
              Until then, what still works depends on the session&apos;s mode. A <strong>stateful</strong> session is checked against its row on every request,
              so the server refuses rather than trusts it without one. A <strong>stateless</strong> or <strong>hybrid</strong> session still reads pages that
              need nothing but its token, such as the dashboard, but cannot act: every change checks the row first, and hybrid cannot renew its access token.
            </p>
          </div>
        ) : (
          <p role="alert" className="text-slate-700">
            The server could not finish this request.{error.digest ? ` Reference: ${error.digest}.` : ''}
          </p>
        )}
        <p className="flex justify-center gap-4 font-medium">
          <button type="button" onClick={reset} className="text-indigo-700 underline underline-offset-2">
            Try again
          </button>
          <Link href="/">Home</Link>
        </p>
      </main>
    </>
  );
}
