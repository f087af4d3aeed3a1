'use client';
// Buttons of the devices page. Each posts a server action and announces its result. When the
// sign-in is not recent, the action answers "type your password" and the form grows the field.
import { useActionState } from 'react';
import { signOutEverywhere, signOutOtherDevices, type ActionState } from '@/app/(app)/actions';
import { FormField } from './form-field';
import { SubmitButton } from './submit-button';

function Result({ state }: { state: ActionState | undefined }) {
  return (
    <p aria-live="polite" className={`min-h-5 text-sm ${state?.ok === false ? 'text-red-700' : 'text-slate-700'}`}>
      {state?.needsPassword ? null : state?.message}
    </p>
  );
}

/** The password field a sensitive action asks for when the sign-in is not recent. */
export function ConfirmPassword({ state, target }: { state: ActionState | undefined; target: string }) {
  if (!state?.needsPassword || state.target !== target) return null;
  return (
    <FormField
      label="Your password"
      name="password"
      id={`password-${target}`}
      type="password"
      autoComplete="current-password"
      errors={state.errors?.password}
      autoFocus
    />
  );
}

export function SignOutOthersButton() {
  const [state, action] = useActionState(signOutOtherDevices, undefined);
  return (
    <form action={action} className="flex flex-col items-start gap-1">
      <ConfirmPassword state={state} target="others" />
      <SubmitButton pendingText="Signing out…">Sign out all other devices</SubmitButton>
      <Result state={state} />
    </form>
  );
}

export function SignOutEverywhereButton() {
  const [state, action] = useActionState(signOutEverywhere, undefined);
  return (
    <form action={action} className="flex flex-col items-start gap-1">
      <ConfirmPassword state={state} target="everywhere" />
      <SubmitButton pendingText="Signing out…" className="bg-red-700 hover:bg-red-600">
        Sign out everywhere
      </SubmitButton>
      <Result state={state} />
    </form>
  );
}
