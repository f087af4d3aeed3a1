// A box that scrolls sideways inside itself on a narrow screen (a wide table on a phone) rather
// than widening the page. It is focusable and named, so a keyboard user can reach it and scroll it
// with the arrow keys (WCAG 2.1.1); the name is the table's.
export function ScrollBox({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="max-w-full overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600">
      {children}
    </div>
  );
}
