'use client';
// Buttons of the devices page. Each posts a server action and announces its result.
import { useActionState } from 'react';
import { signOutEverywhere, signOutOtherDevices, type ActionState } from '@/app/(app)/actions';
import { SubmitButton } from './submit-button';

function Result({ state }: { state: ActionState | undefined }) {
  return (
    <p aria-live="polite" className={`min-h-5 text-sm ${state?.ok === false ? 'text-red-700' : 'text-slate-700'}`}>
      {state?.message}
    </p>
  );
}

export function SignOutOthersButton() {
  const [state, action] = useActionState(signOutOtherDevices, undefined);
  return (
    <form action={action} className="flex flex-col items-start gap-1">
      <SubmitButton pendingText="Signing out…">Sign out all other devices</SubmitButton>
      <Result state={state} />
    </form>
  );
}

export function SignOutEverywhereButton() {
  return (
    <form action={signOutEverywhere}>
      <SubmitButton pendingText="Signing out…" className="bg-red-700 hover:bg-red-600">
        Sign out everywhere
      </SubmitButton>
    </form>
  );
}
