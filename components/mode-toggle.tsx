'use client';
// The mode switch in the header: shows the current mode and posts the other one.
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { switchMode } from '@/app/(auth)/actions';

type Mode = 'stateless' | 'stateful';

function SwitchButton({ target, disabled }: { target: Mode; disabled: boolean }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={disabled || pending}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50"
    >
      {pending ? 'Switching…' : `Switch to ${target}`}
    </button>
  );
}

export function ModeToggle({ mode, allowed }: { mode: Mode; allowed: readonly Mode[] }) {
  const [state, action] = useActionState(switchMode, undefined);
  const target: Mode = mode === 'stateless' ? 'stateful' : 'stateless';
  const locked = !allowed.includes(target);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2 text-sm" aria-label="Session mode">
      <span>
        Mode:{' '}
        <strong data-testid="current-mode" className={mode === 'stateless' ? 'text-amber-700' : 'text-emerald-700'}>
          {mode}
        </strong>
      </span>
      <input type="hidden" name="mode" value={target} />
      <SwitchButton target={target} disabled={locked} />
      {locked ? <span className="text-xs text-slate-500">Only {mode} mode is enabled on this server (SESSION_MODES).</span> : null}
      <span aria-live="polite" className="sr-only">
        {state?.message}
      </span>
    </form>
  );
}
