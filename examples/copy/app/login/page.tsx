// Yours: the login page. It shows why a session ended (?reason=, only the notices the session code
// names: anything else shows nothing, so the parameter cannot inject text).
import { isNotice, type Notice } from '@/lib/session/05-session';
import Link from 'next/link';
import { allowedModes } from '@/lib/session/10-sessions';
import { getSession } from '@/lib/session/11-dal';
import { logIn } from './actions';

const NOTICES: Record<Notice, string> = {
  'signed-out-elsewhere': 'You were signed out from another device.',
  'password-changed': 'Your password was changed on another device.',
  replaced: 'This session was replaced by a newer one in this browser.',
  expired: 'Your session expired.',
  idle: 'Your session ended after a period of inactivity.',
  invalid: 'Your session was not valid.',
  'logged-out': 'You have been logged out.',
  'refresh-reused': 'Signed out: this session’s refresh token was used twice, a sign it was copied.',
  'refresh-required': 'That change needs this browser’s refresh token.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { reason, error, next } = await searchParams;
  const modes = allowedModes();
  const session = await getSession();
  return (
    <main>
      <h1>Log in</h1>
      {isNotice(reason) && <p role="status">{NOTICES[reason]}</p>}
      {error && <p role="alert">That did not work ({error}).</p>}
      {session && (
        <p>
          You are signed in as {session.user.name}: <Link href="/dashboard">go to the dashboard</Link>.
        </p>
      )}
      <form action={logIn}>
        <input type="hidden" name="next" value={next ?? ''} />
        <label>
          Name (to sign up) <input name="name" />
        </label>
        <label>
          Email <input name="email" type="email" required />
        </label>
        <label>
          Password <input name="password" type="password" required minLength={8} />
        </label>
        {modes.length > 1 && (
          <label>
            Mode
            <select name="mode">
              {modes.map((mode) => (
                <option key={mode}>{mode}</option>
              ))}
            </select>
          </label>
        )}
        <button name="intent" value="login">
          Log in
        </button>
        <button name="intent" value="signup">
          Sign up
        </button>
      </form>
    </main>
  );
}
