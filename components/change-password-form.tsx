'use client';
// Change-password form: re-enter the current password, then the new one twice.
import { useActionState } from 'react';
import { changePassword } from '@/app/(app)/actions';
import { FormField } from './form-field';
import { SubmitButton } from './submit-button';

export function ChangePasswordForm() {
  const [state, action] = useActionState(changePassword, undefined);
  return (
    <form action={action} className="flex max-w-sm flex-col gap-3" noValidate>
      <FormField label="Current password" name="currentPassword" type="password" autoComplete="current-password" errors={state?.errors?.currentPassword} />
      <FormField label="New password" name="newPassword" type="password" autoComplete="new-password" errors={state?.errors?.newPassword} />
      <FormField label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" errors={state?.errors?.confirmPassword} />
      <p role="status" aria-live="polite" className="min-h-5 text-sm">
        {state?.message}
      </p>
      <SubmitButton pendingText="Changing…">Change password</SubmitButton>
    </form>
  );
}
