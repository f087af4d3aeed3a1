// Table cells shared by the comparison page's tables: a column heading, and the modes' headings
// in the modes' colours, in the one order every table uses.
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';

export const MODE_NAMES: Record<SessionMode, string> = { stateless: 'Stateless', stateful: 'Stateful', hybrid: 'Hybrid' };

const MODE_HEADING_TONES: Record<SessionMode, string> = { stateless: 'text-amber-800', stateful: 'text-emerald-800', hybrid: 'text-sky-800' };

export function HeadCell({ children, className = '' }: { children: React.ReactNode; className?: string }) {
  return (
    <th scope="col" className={`px-3 py-2 ${className}`}>
      {children}
    </th>
  );
}

/** The modes' column headings, in the modes' colours, for every table on the page. */
export function ModeHeadCells() {
  return (
    <>
      {SESSION_MODES.map((mode) => (
        <HeadCell key={mode} className={MODE_HEADING_TONES[mode]}>
          {MODE_NAMES[mode]}
        </HeadCell>
      ))}
    </>
  );
}
