// The header on every page: navigation, the mode switch, and who is logged in. Two rows on a
// phone (navigation; mode and account), one on a wide screen.
import Link from 'next/link';
import { logout } from '@/app/(auth)/actions';
import { getSession } from '@/lib/session/11-dal';
import { getModeSettings } from '@/lib/demo/mode-preference';
import { ModeToggle } from './mode-toggle';
import { SiteNav } from './site-nav';

export async function SiteHeader() {
  const [session, settings] = await Promise.all([getSession(), getModeSettings()]);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2 sm:py-3">
        <SiteNav />
        <div className="flex w-full min-w-0 items-center justify-between gap-3 sm:w-auto sm:justify-end">
          <ModeToggle mode={session?.mode ?? settings.mode} allowed={settings.allowed} />
          {session ? (
            <form action={logout} className="flex min-w-0 items-center gap-2 text-sm">
              <span data-testid="signed-in-as" className="max-w-[9rem] truncate" title={session.user.name}>
                {session.user.name}
              </span>
              <button type="submit" className="shrink-0 rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">
                Log out
              </button>
            </form>
          ) : (
            <span className="flex gap-3 text-sm [&_a]:no-underline [&_a:hover]:underline">
              <Link href="/login">Log in</Link>
              <Link href="/signup">Sign up</Link>
            </span>
          )}
        </div>
      </div>
    </header>
  );
}
