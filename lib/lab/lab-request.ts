import 'server-only';
// How the lab's state-changing endpoints begin and answer: a POST from this origin, every mode
// enabled, a session that may act; a long run streams its progress as NDJSON lines.
import type { NextRequest } from 'next/server';
import { isSameOrigin, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { refuseLabWithoutAllModes } from '@/lib/lab/runs';

/** The signed-in caller, or the refusal to answer with. */
export async function labCaller(request: NextRequest) {
  if (!isSameOrigin(request)) return { response: jsonError(403, 'Cross-origin request refused') };
  const disabled = refuseLabWithoutAllModes();
  if (disabled) return { response: jsonError(409, disabled) };
  return requireApiSession({ write: true });
}

/** A run's progress as NDJSON lines (what `run` sends), ending with `done` and what it returned, or `error`. */
export function streamRun(name: string, run: (send: (message: object) => void) => Promise<unknown>) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    async start(controller) {
      const send = (message: object) => controller.enqueue(encoder.encode(`${JSON.stringify(message)}\n`));
      try {
        send({ type: 'done', run: await run(send) });
      } catch (error) {
        console.error(`${name} failed`, error);
        send({ type: 'error', message: `The ${name} failed. See the server log.` });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { ...NO_STORE, 'Content-Type': 'application/x-ndjson' } });
}
