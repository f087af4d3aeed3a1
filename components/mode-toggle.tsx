'use client';
// The mode switch in the header: the current mode, and a button for each other allowed mode.
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { switchMode } from '@/app/(auth)/actions';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';

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
      disabled={disabled || pending}
      aria-label={`Switch to ${target}`}
      title={disabled ? `Only the allowed modes can be chosen on this server (SESSION_MODES).` : `Switch to ${target}`}
      className="px-2 py-1 text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50"
    >
      {pending ? 'Switching…' : target}
    </button>
  );
}

export function ModeToggle({ mode, allowed }: { mode: SessionMode; allowed: readonly SessionMode[] }) {
  const [state, action] = useActionState(switchMode, undefined);
  const locked = allowed.length < 2;
  return (
    <form action={action} className="flex items-center gap-2 text-sm" aria-label="Session mode">
      <span className="hidden text-slate-600 md:inline">Mode</span>
      <div className="inline-flex overflow-hidden rounded-md border border-slate-300 bg-white">
        {SESSION_MODES.map((option) =>
          option === mode ? (
            <strong key={option} data-testid="current-mode" aria-current="true" className={`px-2 py-1 ${TONE[option]}`}>
              {option}
            </strong>
          ) : (
            <SwitchButton key={option} target={option} disabled={!allowed.includes(option)} />
          ),
        )}
      </div>
      {locked ? <span className="sr-only">Only {mode} mode is enabled on this server (SESSION_MODES).</span> : null}
      <span aria-live="polite" className="sr-only">
        {state?.message}
      </span>
    </form>
  );
}
