'use client';
// The admin's "Rotate signing keys" button and what the rotation did (or why it did not: too soon
// after the next key was published, or another rotation got there first).
import { useActionState } from 'react';
import { rotateKeys } from '@/app/(public)/compare/actions';
import { SubmitButton } from './submit-button';

export function LabKeyRotation() {
  const [state, action] = useActionState(rotateKeys, undefined);
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="intent" value="rotate" />
      <SubmitButton pendingText="Rotating…" className="self-start">
        Rotate signing keys
      </SubmitButton>
      <p aria-live="polite" data-testid="rotation-result" className={`text-sm ${state?.ok === false ? 'text-red-700' : 'text-emerald-700'}`}>
        {state?.message}
      </p>
    </form>
  );
}
