'use client';
// The error boundary of every page. One failure gets its own explanation: the session store
// (the database) out of reach. The custom server answers it with 503 and Retry-After; this page
// tells the visitor what that means for their session.
import Link from 'next/link';
import { STORE_UNAVAILABLE_DIGEST } from '@/lib/db/unavailable';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const storeDown = error.digest === STORE_UNAVAILABLE_DIGEST;
  return (
    <main className="mx-auto flex max-w-md flex-col gap-3 px-4 py-10 text-center">
      <p className="font-mono text-sm text-slate-500">{storeDown ? '503' : '500'}</p>
      <h1 className="text-2xl font-bold">{storeDown ? 'The session store is unreachable' : 'Something went wrong'}</h1>
      {storeDown ? (
        <div role="alert" className="flex flex-col gap-2 text-slate-700">
          <p>This page needs the database, and the server cannot reach it right now.</p>
          <p>
            A stateful session is checked against its row on every request, so without the database it cannot be trusted. The server refuses rather than
            guesses. Nothing was signed out: your session works again as soon as the database is back.
          </p>
          <p className="text-sm text-slate-600">A stateless session can still read pages that need nothing but its token, such as the dashboard.</p>
        </div>
      ) : (
        <p role="alert" className="text-slate-700">
          The server could not finish this request.{error.digest ? ` Reference: ${error.digest}.` : ''}
        </p>
      )}
      <p className="flex justify-center gap-4 font-medium">
        <button type="button" onClick={reset} className="underline">
          Try again
        </button>
        <Link href="/">Home</Link>
      </p>
    </main>
  );
}
