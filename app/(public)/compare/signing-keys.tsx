// Hybrid's published signing keys, as /.well-known/jwks.json serves them, with each one's stage
// (next, current, previous) and times; an admin may rotate them here.
import { LabKeyRotation } from '@/components/lab-key-rotation';
import type { listPublishedKeys } from '@/lib/session/08-hybrid-keys';
import { formatDateTime } from '@/lib/view/format';
import { ScrollBox } from '@/components/scroll-box';

const CELL = 'px-3 py-1 font-mono text-xs';

type PublishedKey = Awaited<ReturnType<typeof listPublishedKeys>>[number];

const STAGES: Record<PublishedKey['stage'], string> = {
  next: 'next: published, signs after the next rotation',
  current: 'current: signs new access tokens',
  previous: 'previous: retired, published until its last token expires',
};

export function SigningKeys({ keys, canRotate }: { keys: PublishedKey[]; canRotate: boolean }) {
  return (
    <div className="flex flex-col gap-3">
      {/* Scrolls inside itself on a phone rather than widening the page. */}
      <ScrollBox label="Signing keys published now">
        <table data-testid="signing-keys" className="w-full max-w-3xl border-collapse rounded-lg bg-white text-left text-sm">
          <caption className="px-3 py-1 text-left font-medium">
            Published now at <code>/.well-known/jwks.json</code>: {keys.length} {keys.length === 1 ? 'key' : 'keys'}
          </caption>
          <thead>
            <tr className="bg-slate-100">
              {['kid', 'Stage', 'Created', 'Activated', 'Retired'].map((heading) => (
                <th key={heading} scope="col" className="px-3 py-1">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.kid} data-testid={`signing-key-${key.stage}`} className="border-t border-slate-200">
                <th scope="row" className={`${CELL} break-all font-medium`}>
                  {key.kid}
                </th>
                <td className="px-3 py-1 text-xs">{STAGES[key.stage]}</td>
                <td className={CELL}>{formatDateTime(key.createdAt)}</td>
                <td className={CELL}>{key.activatedAt ? formatDateTime(key.activatedAt) : '–'}</td>
                <td className={CELL}>{key.retiredAt ? formatDateTime(key.retiredAt) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {canRotate ? (
        <LabKeyRotation />
      ) : (
        <p data-testid="rotation-admins-only" className="text-sm">
          Rotating changes the key every new access token is signed with, so only an admin may (the demo account alice@example.com is one).
        </p>
      )}
    </div>
  );
}
