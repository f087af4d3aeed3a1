'use client';
// Login form: state and errors come from the server action; nothing is decided here.
import { useActionState } from 'react';
import { login } from '@/app/(auth)/actions';
import { FormField } from './form-field';
import { SubmitButton } from './submit-button';

export function LoginForm({ next }: { next?: string }) {
  const [state, action] = useActionState(login, undefined);
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField label="Email" name="email" type="email" autoComplete="username" defaultValue={state?.values?.email} errors={state?.errors?.email} />
      <FormField label="Password" name="password" type="password" autoComplete="current-password" errors={state?.errors?.password} />
      <p role="alert" aria-live="assertive" className="min-h-5 text-sm font-medium text-red-700">
        {state?.message}
      </p>
      <SubmitButton pendingText="Logging in…">Log in</SubmitButton>
    </form>
  );
}
