'use client';
// A submit button that shows the form's pending state.
import { useFormStatus } from 'react-dom';
import { PRIMARY_BUTTON } from './button-styles';

export function SubmitButton({
  children,
  pendingText,
  className = '',
  'aria-label': ariaLabel,
}: {
  children: React.ReactNode;
  pendingText: string;
  className?: string;
  'aria-label'?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} aria-label={ariaLabel} className={`${PRIMARY_BUTTON} disabled:cursor-wait ${className}`}>
      {pending ? pendingText : children}
    </button>
  );
}
