'use client';
// A submit button that shows the form's pending state.
import { useFormStatus } from 'react-dom';

export function SubmitButton({ children, pendingText, className = '', 'aria-label': ariaLabel }: { children: React.ReactNode; pendingText: string; className?: string; 'aria-label'?: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      aria-label={ariaLabel}
      className={`rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:cursor-wait disabled:opacity-60 ${className}`}
    >
      {pending ? pendingText : children}
    </button>
  );
}
