'use client';
// Sign-up form: state and errors come from the server action; nothing is decided here.
import { useActionState } from 'react';
import { signup } from '@/app/(auth)/actions';
import { FormField } from './form-field';
import { SubmitButton } from './submit-button';

export function SignupForm({ next }: { next?: string }) {
  const [state, action] = useActionState(signup, undefined);
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField label="Name" name="name" autoComplete="name" defaultValue={state?.values?.name} errors={state?.errors?.name} />
      <FormField label="Email" name="email" type="email" autoComplete="email" defaultValue={state?.values?.email} errors={state?.errors?.email} />
      <FormField label="Password" name="password" type="password" autoComplete="new-password" errors={state?.errors?.password} />
      <p role="alert" aria-live="assertive" className="min-h-5 text-sm font-medium text-red-700">
        {state?.message}
      </p>
      <SubmitButton pendingText="Creating account…">Sign up</SubmitButton>
    </form>
  );
}
