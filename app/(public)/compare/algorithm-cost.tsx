// What each signing algorithm costs, from the latest benchmark: HS256 (stateless, stateful)
// against EdDSA with Ed25519 (hybrid), signing and verifying, with node:crypto and through jose,
// all measured in the same run: the in-page benchmark's latest, or else the latest `npm run bench`.
// A run stored before hybrid mode did not measure them.
import { BarChart, type Bar } from '@/components/bar-chart';
import type { AlgorithmCost } from '@/lib/lab/algorithm-cost';
import type { BenchmarkResult } from '@/lib/lab/benchmark';
import { formatMicros } from '@/lib/lab/comparison';
import type { BenchRun } from '@/lib/lab/bench-report';
import type { StoredRun } from '@/lib/lab/runs';
import { ScrollBox } from '@/components/scroll-box';

const CELL = 'px-3 py-1 font-mono text-xs';

function label({ algorithm, operation, via }: AlgorithmCost) {
  return `${algorithm} ${operation} (${via})`;
}

function p50(rows: AlgorithmCost[], algorithm: AlgorithmCost['algorithm'], operation: AlgorithmCost['operation'], via: AlgorithmCost['via']) {
  return rows.find((row) => row.algorithm === algorithm && row.operation === operation && row.via === via)?.stat.p50 ?? NaN;
}

export function AlgorithmCostResults({ run, cliRun }: { run: StoredRun<BenchmarkResult> | null; cliRun: StoredRun<BenchRun> | null }) {
  const fromCli = cliRun?.result.databases.find((database) => database.checks.algorithms);
  const costs = run?.result.algorithms ?? fromCli?.checks.algorithms;
  if (!costs) {
    return (
      <p data-testid="algorithm-cost" className="text-sm text-slate-500">
        Not measured yet: run the benchmark above (runs from before hybrid mode did not measure the algorithms).
      </p>
    );
  }
  const { rows, samples } = costs;
  const source = run?.result.algorithms ? 'the benchmark above' : `npm run bench, ${cliRun!.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const bars: Bar[] = rows.map((row) => ({
    label: `${label(row)} p50`,
    value: row.stat.p50,
    display: formatMicros(row.stat.p50),
    tone: row.algorithm === 'HS256' ? 'stateless' : 'hybrid',
  }));
  const verifyRatio = p50(rows, 'EdDSA', 'verify', 'node:crypto') / p50(rows, 'HS256', 'verify', 'node:crypto');
  return (
    <div data-testid="algorithm-cost" className="flex flex-col gap-3">
      <ScrollBox label="Signing and verifying cost per algorithm">
        <table className="w-full max-w-3xl border-collapse rounded-lg bg-white text-left text-sm">
          <caption className="px-3 py-1 text-left font-medium">
            {samples.toLocaleString('en')} calls each, same run ({source}), same claims: p50 (p25–p75), p95
          </caption>
          <thead>
            <tr className="bg-slate-100">
              <th scope="col" className="px-3 py-1">
                Operation
              </th>
              <th scope="col" className="px-3 py-1">
                p50 (p25–p75)
              </th>
              <th scope="col" className="px-3 py-1">
                p95
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={label(row)} className="border-t border-slate-200">
                <th scope="row" className="px-3 py-1 font-medium">
                  {label(row)}
                </th>
                <td className={CELL}>
                  {formatMicros(row.stat.p50)} ({formatMicros(row.stat.p25 ?? row.stat.p50)}–{formatMicros(row.stat.p75 ?? row.stat.p50)})
                </td>
                <td className={CELL}>{formatMicros(row.stat.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <BarChart
        id="algorithms"
        title="Signing and verifying, per algorithm (lower is better)"
        description="Microseconds per call, median: HS256 in the stateless colour, EdDSA (Ed25519) in the hybrid colour."
        valueHeading="Time per call"
        bars={bars}
      />
      <p data-testid="algorithm-verdict" className="max-w-3xl text-sm">
        Verifying an Ed25519 signature costs {Number.isFinite(verifyRatio) ? `${verifyRatio.toFixed(1)}×` : 'more than'} an HMAC-SHA256 one here. Hybrid pays it
        once per access token and process (verified tokens are cached until their exp), not per request, and buys with it a private key that never leaves the
        issuer: every other service verifies with the public half.
      </p>
    </div>
  );
}
