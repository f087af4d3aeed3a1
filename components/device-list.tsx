'use client';
// The list of signed-in devices, one card per browser. Rows arrive formatted from the server;
// this component only renders them and posts "Sign out", with one result message that survives
// the card's removal and takes keyboard focus from the button that went with it.
import { useActionState } from 'react';
import { signOutDevice } from '@/app/(app)/actions';
import type { SessionMode } from '@/lib/session/modes';
import { Countdown } from './countdown';
import { ConfirmPassword } from './device-actions';
import { SubmitButton } from './submit-button';
import { useFocusAfter } from './use-focus-after';

export type DeviceRow = {
  id: string;
  label: string;
  type: string;
  ip: string;
  mode: SessionMode;
  signedIn: string;
  lastActive: string;
  expires: string;
  /** When its token stops reading (Unix seconds): exp, or for a signed-out hybrid session one access lifetime after the sign-out. */
  readsUntilUnix: number;
  /** Signed out, but its token still reads: a stateless one until exp, a hybrid one until its access token expires. */
  stillReads: boolean;
  current: boolean;
  /** Why it ended, or null while signed in. */
  ended: string | null;
};

export type DeviceCard = { id: string; head: DeviceRow; earlier: DeviceRow[] };

function Status({ row }: { row: DeviceRow }) {
  if (!row.ended) return <span className="text-emerald-700">Signed in</span>;
  if (!row.stillReads) return <span className="text-slate-700">{row.ended}.</span>;
  const token = row.mode === 'hybrid' ? 'Its access token' : 'Its stateless token';
  return (
    <span className="text-amber-800">
      {row.ended}. {token} can still read for {row.mode === 'hybrid' ? 'at most ' : ''}
      <Countdown until={row.readsUntilUnix} label={`Time until ${token.slice(4)} stops working`} /> (
      {row.mode === 'hybrid' ? 'one access-token lifetime, since it can no longer be refreshed,' : 'its lifetime'} plus the server&apos;s clock tolerance), but
      can no longer change anything.
    </span>
  );
}

const MODE_TONE: Record<SessionMode, string> = { stateless: 'text-amber-700', stateful: 'text-emerald-700', hybrid: 'text-sky-700' };

function ModeName({ mode }: { mode: SessionMode }) {
  return <span className={MODE_TONE[mode]}>{mode}</span>;
}

export function DeviceList({ cards }: { cards: DeviceCard[] }) {
  const [state, action] = useActionState(signOutDevice, undefined);
  const resultRef = useFocusAfter<HTMLParagraphElement>(state?.needsPassword ? null : state);
  return (
    <div className="flex flex-col gap-3">
      <p ref={resultRef} tabIndex={-1} aria-live="polite" className={`min-h-5 text-sm font-medium ${state?.ok === false ? 'text-red-700' : 'text-slate-800'}`}>
        {state?.needsPassword ? null : state?.message}
      </p>
      <ul aria-label="Signed-in devices" className="flex flex-col gap-3">
        {cards.map(({ id, head, earlier }) => (
          <li
            key={id}
            aria-label={`${head.label}${head.current ? ' (this device)' : ''}`}
            className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:flex-row sm:items-start sm:justify-between"
          >
            <div className="flex min-w-0 flex-col gap-1 text-sm">
              <p className="text-base font-semibold">
                {head.label}{' '}
                {head.current ? <span className="ml-1 rounded bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800">This device</span> : null}
              </p>
              <p className="text-slate-600">
                {head.type} · <span className="break-all font-mono">{head.ip}</span> · <ModeName mode={head.mode} />
              </p>
              <p>
                Signed in {head.signedIn} · Last active {head.lastActive}
              </p>
              <p>Expires {head.expires}</p>
              <p>
                <Status row={head} />
              </p>
              {earlier.length > 0 ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-slate-700">
                    {earlier.length} earlier {earlier.length === 1 ? 'session' : 'sessions'} of this browser
                  </summary>
                  <ul className="mt-1 flex flex-col gap-1 border-l-2 border-slate-200 pl-3">
                    {earlier.map((row) => (
                      <li key={row.id}>
                        <ModeName mode={row.mode} />, signed in {row.signedIn}: <Status row={row} />
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
            {!head.current && !head.ended ? (
              <form action={action} className="flex shrink-0 flex-col items-start gap-1">
                <input type="hidden" name="sessionId" value={head.id} />
                <ConfirmPassword state={state} target={head.id} />
                <SubmitButton pendingText="Signing out…" className="px-3 py-1 text-sm" aria-label={`Sign out ${head.label}`}>
                  Sign out
                </SubmitButton>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
