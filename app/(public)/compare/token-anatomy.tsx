// Sample tokens of every mode, decoded: signed is not encrypted, so the payload is public. Beside
// them the same claims sealed with iron-session, opaque and heavier.
import { formatMicros } from '@/lib/lab/comparison';
import { COOKIE_LIMIT_BYTES, type TokenSample } from '@/lib/lab/token-anatomy';

const TITLES: Record<TokenSample['mode'], string> = {
  stateless: 'Stateless JWT',
  stateful: 'Stateful JWT',
  hybrid: 'Hybrid access token (EdDSA)',
  sealed: 'Same claims sealed with iron-session',
};

export function TokenAnatomy({ samples, unsealMicros }: { samples: TokenSample[]; unsealMicros: number | null }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {samples.map((sample) => (
        <article
          key={sample.mode}
          data-testid={`anatomy-${sample.mode}`}
          className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
        >
          <h3 className="font-semibold">{TITLES[sample.mode]}</h3>
          <p>
            {sample.cookieBytes} bytes as {sample.mode === 'hybrid' ? 'cookies, with the refresh token' : 'a cookie'} (
            {((sample.cookieBytes / COOKIE_LIMIT_BYTES) * 100).toFixed(1)}% of 4,096)
            {sample.mode === 'sealed' && unsealMicros !== null ? `; unsealing costs ${formatMicros(unsealMicros)} (benchmark)` : ''}
          </p>
          <code className="block break-all rounded bg-slate-100 p-2 font-mono text-xs">{sample.token}</code>
          {sample.payload ? (
            <>
              <p className="text-xs text-slate-600">Anyone holding this cookie can decode it:</p>
              <pre className="overflow-x-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">
                {JSON.stringify({ header: sample.header, payload: sample.payload }, null, 2)}
              </pre>
            </>
          ) : (
            <p className="text-xs text-slate-600">
              Encrypted and authenticated: opaque to the browser and to anyone who steals it, but bigger and slower to open.
            </p>
          )}
        </article>
      ))}
    </div>
  );
}
