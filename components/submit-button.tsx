'use client';
// A submit button that shows the form's pending state. While pending it is aria-disabled rather
// than disabled: a disabled button loses keyboard focus, which would drop to <body>.
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
    <button
      type="submit"
      aria-disabled={pending}
      onClick={(event) => pending && event.preventDefault()}
      aria-label={ariaLabel}
      className={`${PRIMARY_BUTTON} aria-disabled:cursor-wait ${className}`}
    >
      {pending ? pendingText : children}
    </button>
  );
}
