'use client';
// The mode switch in the header: the current mode, and a button for each other allowed mode. After
// a switch, focus lands on the new current mode, and a session cut short by the switch says so.
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { switchMode } from '@/app/(auth)/actions';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { useFocusAfter } from './use-focus-after';

const TONE: Record<SessionMode, string> = {
  stateless: 'bg-amber-100 text-amber-900',
  stateful: 'bg-emerald-100 text-emerald-900',
  hybrid: 'bg-sky-100 text-sky-900',
};

function SwitchButton({ target, disabled }: { target: SessionMode; disabled: boolean }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      name="mode"
      value={target}
      disabled={disabled}
      aria-disabled={pending || undefined}
      onClick={(event) => pending && event.preventDefault()}
      aria-label={`Switch to ${target}`}
      title={disabled ? `Only the allowed modes can be chosen on this server (SESSION_MODES).` : `Switch to ${target}`}
      className="px-2 py-1 text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50"
    >
      {pending ? 'Switching…' : target}
    </button>
  );
}

/** What the old credential was, for "the end of the … you switched from". */
const ENDED_BY: Record<SessionMode, string> = { stateless: 'stateless token', stateful: 'stateful session', hybrid: 'hybrid session' };

/** Local time, and the date too when it is not today. */
function localEnd(iso: string) {
  const end = new Date(iso);
  const time = end.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return end.toDateString() === new Date().toDateString() ? time : `${end.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

export function ModeToggle({ mode, allowed }: { mode: SessionMode; allowed: readonly SessionMode[] }) {
  const [state, action] = useActionState(switchMode, undefined);
  const currentRef = useFocusAfter<HTMLElement>(state, mode);
  const locked = allowed.length < 2;
  return (
    <form action={action} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm" aria-label="Session mode">
      <span className="hidden text-slate-600 md:inline">Mode</span>
      <div className="inline-flex overflow-hidden rounded-md border border-slate-300 bg-white">
        {SESSION_MODES.map((option) =>
          option === mode ? (
            <strong key={option} ref={currentRef} tabIndex={-1} data-testid="current-mode" aria-current="true" className={`px-2 py-1 ${TONE[option]}`}>
              {option}
            </strong>
          ) : (
            <SwitchButton key={option} target={option} disabled={!allowed.includes(option)} />
          ),
        )}
      </div>
      {locked ? <span className="sr-only">Only {mode} mode is enabled on this server (SESSION_MODES).</span> : null}
      {/* Always rendered, so what arrives in it is announced; seen only when the session was cut short. */}
      <p aria-live="polite" data-testid="mode-switch-notice" className={state?.endsAt ? 'basis-full text-xs text-amber-900' : 'sr-only'}>
        <span className="sr-only">{state?.message}</span>
        {state?.endsAt && state.from && state.to
          ? ` This session now ends at ${localEnd(state.endsAt)}, the end of the ${ENDED_BY[state.from]} you switched from. Log in again for a full ${state.to} session.`
          : null}
      </p>
    </form>
  );
}
