// The load generator of /compare's short whole-request run, in its own process so that it does not
// share the measured server's event loop. Started by lib/lab/http-run.ts with its plan in
// HTTP_RUN_PLAN; writes one JSON line per progress step, then one with the rounds (or the error).
import { loadInSlices, type LoadKind } from '@/lib/lab/http-load';

type Plan = { url: string; kinds: LoadKind[]; warmUpSeconds: number; rounds: number; connections: number };

const plan = JSON.parse(process.env.HTTP_RUN_PLAN ?? '{}') as Plan;
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
  const totalSeconds = plan.warmUpSeconds + plan.rounds;
  const startedMs = Date.now();
  const ticker = setInterval(() => say({ progress: Math.min(0.99, (Date.now() - startedMs) / 1000 / totalSeconds) }), 500);
  try {
    await loadInSlices(plan.url, plan.kinds, { rounds: 1, roundSeconds: plan.warmUpSeconds, connections: plan.connections });
    say({ perRound: await loadInSlices(plan.url, plan.kinds, { rounds: plan.rounds, roundSeconds: 1, connections: plan.connections }) });
  } finally {
    clearInterval(ticker);
  }
}

main().catch((error: unknown) => {
  say({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
