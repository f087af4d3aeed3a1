// The header and main column around every page. Each route group's layout renders it, not the
// root layout: the App Router keeps a layout across client-side navigations, so a header in the
// root layout would still show a user signed in after their session ended and the browser was
// sent to /login. Moving between groups (app → auth) renders the header afresh.
import { SiteHeader } from './site-header';

export function SiteShell({ children }: { children: React.ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-5xl px-4 py-6 sm:py-8">{children}</main>
    </>
  );
}
