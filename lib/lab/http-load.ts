// Load over real HTTP, in interleaved slices: what `npm run bench` and the page's short run both
// measure whole requests with. autocannon is the load generator; it runs in its own process
// (scripts/bench.ts, scripts/http-run.ts), never in the server it measures.
import type { Spread } from './bench-report';
import { sliceSchedule } from './slice-schedule';

/** One kind of request: the cookie it sends (none for anonymous) and the only status it may get. */
export type LoadKind<Kind extends string = string> = { kind: Kind; cookie: string | null; status: number };

/**
 * One autocannon run whose connections send each kind of request in turn, one slice of each per
 * second in a changing order (sliceSchedule), for `rounds` rounds of `roundSeconds`. Returns each
 * kind's req/s per round (a request counts for the kind and round in which it was sent). Any
 * status but the kind's voids the run.
 */
export async function loadInSlices(
  url: string,
  kinds: LoadKind[],
  { rounds, roundSeconds, connections }: { rounds: number; roundSeconds: number; connections: number },
) {
  const { default: autocannon } = await import('autocannon');
  const sliceMs = 1000 / kinds.length;
  const kindOfSlice = sliceSchedule(kinds.length, rounds * roundSeconds);
  const sent: number[][] = Array.from({ length: rounds }, () => kinds.map(() => 0));
  const wrong: string[] = [];
  let started = 0;
  const result = await autocannon({
    url,
    connections,
    duration: rounds * roundSeconds,
    requests: [
      {
        setupRequest(request, context: { kind?: number; round?: number }) {
          // performance.now(), not Date.now(): slices of 1000/6 ms must not round to whole milliseconds.
          started ||= performance.now();
          const elapsed = performance.now() - started;
          context.kind = kindOfSlice(Math.floor(elapsed / sliceMs));
          context.round = Math.min(rounds - 1, Math.floor(elapsed / (roundSeconds * 1000)));
          const { cookie } = kinds[context.kind];
          return { ...request, headers: cookie ? { cookie } : {} };
        },
        onResponse(status, _body, context: { kind?: number; round?: number }) {
          const kind = kinds[context.kind!];
          if (status !== kind.status) wrong.push(`${kind.kind}: ${status}`);
          else sent[context.round!][context.kind!] += 1;
        },
      },
    ],
  });
  if (result.errors > 0 || result.timeouts > 0 || wrong.length > 0) {
    throw new Error(`${url}: ${wrong.length} unexpected statuses (${wrong.slice(0, 3).join(', ')}), ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  // Each kind had the same share of every round.
  return sent.map((counts) => counts.map((count) => (count * kinds.length) / roundSeconds));
}

/** Requests per second of one kind alone for `seconds` (anonymous, its status checked), by autocannon's own count and clock. */
export async function loadAlone(url: string, { seconds, connections, status }: { seconds: number; connections: number; status: number }) {
  const { default: autocannon } = await import('autocannon');
  let wrong = 0;
  const result = await autocannon({ url, connections, duration: seconds, requests: [{ onResponse: (code) => void (code === status || wrong++) }] });
  if (result.errors > 0 || result.timeouts > 0 || wrong > 0)
    throw new Error(`${url}: ${wrong} unexpected statuses, ${result.errors} errors, ${result.timeouts} timeouts`);
  return result.requests.total / result.duration;
}

/** Median and quartiles (interpolated), with every value kept. */
export function summarise(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const position = (sorted.length - 1) * q;
    const below = Math.floor(position);
    return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (position - below);
  };
  return { median: at(0.5), p25: at(0.25), p75: at(0.75), samples: values };
}

/** Each kind's req/s and its ratio to the first kind (anonymous), over the rounds. */
export function summariseRounds<Kind extends string>(kinds: LoadKind<Kind>[], perRound: number[][]) {
  const ratioTo = (index: number, base: number) => summarise(perRound.filter((round) => round[base] > 0).map((round) => round[index] / round[base]));
  return Object.fromEntries(
    kinds.map(({ kind }, index) => [kind, { perSecond: summarise(perRound.map((round) => round[index])), ratioToAnonymous: ratioTo(index, 0) }]),
  ) as Record<Kind, { perSecond: Spread; ratioToAnonymous: Spread }>;
}
