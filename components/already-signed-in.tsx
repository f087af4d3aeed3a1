// Shown on the login and sign-up pages to a visitor who already has a session: going on
// replaces it, and the link goes back instead.
import Link from 'next/link';
import type { Session } from '@/lib/session/05-session';

export function AlreadySignedIn({ session, next, action }: { session: Session; next: string; action: string }) {
  return (
    <p data-testid="already-signed-in" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm">
      You are signed in as {session.user.name}. {action} here replaces that session. <Link href={next}>Continue instead</Link>
    </p>
  );
}
