// The header on every page: navigation, the mode switch, and who is logged in.
import Link from 'next/link';
import { logout } from '@/app/(auth)/actions';
import { getOptionalSession } from '@/lib/dal';
import { getModeSettings } from '@/lib/preferences';
import { ModeToggle } from './mode-toggle';

export async function SiteHeader() {
  const [session, settings] = await Promise.all([getOptionalSession(), getModeSettings()]);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-4 text-sm font-medium">
          <Link href="/" className="font-semibold text-slate-900">
            JWT sessions
          </Link>
          <Link href="/dashboard">Dashboard</Link>
          <Link href="/devices">Devices</Link>
          <Link href="/compare">Compare</Link>
          <Link href="/settings">Settings</Link>
        </nav>
        <div className="flex flex-wrap items-center gap-3">
          <ModeToggle mode={session?.mode ?? settings.mode} allowed={settings.allowed} />
          {session ? (
            <form action={logout} className="flex items-center gap-2 text-sm">
              <span data-testid="signed-in-as">{session.user.name}</span>
              <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">
                Log out
              </button>
            </form>
          ) : (
            <span className="flex gap-3 text-sm">
              <Link href="/login">Log in</Link>
              <Link href="/signup">Sign up</Link>
            </span>
          )}
        </div>
      </div>
    </header>
  );
}
