// The site's main navigation and the skip link before it: in the header of every page, and on the
// error page, which renders without the header (the header reads the session, and the error may be
// that the database behind it is out of reach).
import Link from 'next/link';

export const MAIN_ID = 'main';

/** The first thing a keyboard user tabs to: straight past the header to the page's own content. */
export function SkipLink() {
  return (
    <a
      href={`#${MAIN_ID}`}
      className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
    >
      Skip to content
    </a>
  );
}

export function SiteNav() {
  return (
    <nav
      aria-label="Main"
      className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm font-medium sm:gap-x-4 [&_a]:no-underline [&_a:hover]:underline"
    >
      <Link href="/" className="font-semibold text-slate-900" aria-label="JWT sessions, home">
        <span className="sm:hidden">JWT</span>
        <span className="hidden sm:inline">JWT sessions</span>
      </Link>
      <Link href="/dashboard">Dashboard</Link>
      <Link href="/devices">Devices</Link>
      {/* On a phone the home page's "Start here" leads to it: the header keeps to two rows. */}
      <Link href="/try" className="hidden sm:inline">
        Try it
      </Link>
      <Link href="/compare">Compare</Link>
      <Link href="/settings">Settings</Link>
    </nav>
  );
}
