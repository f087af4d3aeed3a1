'use client';
// The list of signed-in devices. Rows arrive formatted from the server; this component only
// renders them and posts "Sign out", with one result message that survives the row's removal.
import { useActionState } from 'react';
import { signOutDevice } from '@/app/(app)/actions';
import { Countdown } from './countdown';
import { SubmitButton } from './submit-button';

export type DeviceRow = {
  id: string;
  label: string;
  type: string;
  ip: string;
  mode: 'stateless' | 'stateful';
  signedIn: string;
  lastActive: string;
  expires: string;
  expUnix: number;
  current: boolean;
  stillValidAfterSignOut: boolean;
};

function Status({ row }: { row: DeviceRow }) {
  if (!row.stillValidAfterSignOut) return <span className="text-emerald-700">Signed in</span>;
  return (
    <span className="text-amber-800">
      Signed out, but the token is still valid for <Countdown until={row.expUnix} label="Time until this stateless token expires" />
    </span>
  );
}

export function DeviceList({ rows }: { rows: DeviceRow[] }) {
  const [state, action] = useActionState(signOutDevice, undefined);
  return (
    <div className="flex flex-col gap-3">
      <p aria-live="polite" className={`min-h-5 text-sm font-medium ${state?.ok === false ? 'text-red-700' : 'text-slate-800'}`}>
        {state?.message}
      </p>
      <ul aria-label="Signed-in devices" className="flex flex-col gap-3">
        {rows.map((row) => (
          <li
            key={row.id}
            aria-label={`${row.label}${row.current ? ' (this device)' : ''}`}
            className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:flex-row sm:items-start sm:justify-between"
          >
            <div className="flex flex-col gap-1 text-sm">
              <p className="text-base font-semibold">
                {row.label}{' '}
                {row.current ? <span className="ml-1 rounded bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800">This device</span> : null}
              </p>
              <p className="text-slate-600">
                {row.type} · <span className="font-mono">{row.ip}</span> ·{' '}
                <span className={row.mode === 'stateless' ? 'text-amber-700' : 'text-emerald-700'}>{row.mode}</span>
              </p>
              <p>
                Signed in {row.signedIn} · Last active {row.lastActive}
              </p>
              <p>Expires {row.expires}</p>
              <p>
                <Status row={row} />
              </p>
            </div>
            {!row.current && !row.stillValidAfterSignOut ? (
              <form action={action}>
                <input type="hidden" name="sessionId" value={row.id} />
                <SubmitButton pendingText="Signing out…" className="px-3 py-1 text-sm" aria-label={`Sign out ${row.label}`}>
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
