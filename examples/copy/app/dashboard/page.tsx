// Yours: a protected page. requireSession sends anyone without a live session to log in.
import Link from 'next/link';
import { requireSession } from '@/lib/session/11-dal';
import { logOut } from '../devices/actions';

export default async function DashboardPage() {
  const session = await requireSession();
  return (
    <main>
      <h1>Hello, {session.user.name}</h1>
      <p>
        Signed in with a {session.mode} session until {session.expiresAt.toISOString()}.
      </p>
      <Link href="/devices">Devices</Link>
      <form action={logOut}>
        <button>Log out</button>
      </form>
    </main>
  );
}
