// A labelled input with its field errors announced to screen readers.
type FormFieldProps = {
  label: string;
  name: string;
  /** Defaults to the name; give one when a page has several fields of that name. */
  id?: string;
  type?: string;
  autoComplete?: string;
  defaultValue?: string;
  errors?: string[];
  /** For a field that appears in answer to an action ("type your password"): focus goes to it. */
  autoFocus?: boolean;
};

export function FormField({ label, name, id = name, type = 'text', autoComplete, defaultValue, errors, autoFocus }: FormFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        autoFocus={autoFocus}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? errorId : undefined}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
      />
      <div id={errorId} aria-live="polite" className="min-h-5 text-sm text-red-700">
        {errors?.join(' ')}
      </div>
    </div>
  );
}
