// The header and main column around every page. Each route group's layout renders it, not the
// root layout: the App Router keeps a layout across client-side navigations, so a header in the
// root layout would still show a user signed in after their session ended and the browser was
// sent to /login. Moving between groups (app → auth) renders the header afresh.
import { getEnv } from '@/lib/env';
import { getDatabaseKind } from '@/lib/db/adapter';
import { SiteHeader } from './site-header';
import { MAIN_ID, SkipLink } from './site-nav';

/**
 * Which instance answered, and on which kind of database: behind the cluster's front door, each
 * page may come from another instance. Only the kind: hosts and paths are for /compare.
 */
function ServedBy() {
  const { INSTANCE_NAME, DATABASE_URL } = getEnv();
  return (
    <footer className="mx-auto max-w-5xl px-4 pb-6 text-xs text-slate-500">
      <span data-testid="served-by">Served by {INSTANCE_NAME ? `instance ${INSTANCE_NAME}` : 'a single server'}</span> · database:{' '}
      <span data-testid="served-database">{getDatabaseKind(DATABASE_URL)}</span>
    </footer>
  );
}

export function SiteShell({ children }: { children: React.ReactNode }) {
  return (
    <>
      <SkipLink />
      <SiteHeader />
      {/* tabIndex -1: the skip link moves keyboard focus here, not only the scroll position. */}
      <main id={MAIN_ID} tabIndex={-1} className="mx-auto max-w-5xl px-4 py-6 outline-none sm:py-8">
        {children}
      </main>
      <ServedBy />
    </>
  );
}
