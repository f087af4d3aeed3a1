// Runs the benchmark and streams its progress as NDJSON lines, ending with the stored result.
import type { NextRequest } from 'next/server';
import { answeringOutages, isSameOrigin, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { refuseLabWithoutAllModes } from '@/lib/lab/runs';
import { isBenchmarkRunning, runBenchmark } from '@/lib/lab/benchmark';

export const POST = answeringOutages(async (request: NextRequest) => {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const disabled = refuseLabWithoutAllModes();
  if (disabled) return jsonError(409, disabled);
  const auth = await requireApiSession({ write: true });
  if ('response' in auth) return auth.response;
  if (isBenchmarkRunning()) return jsonError(409, 'A benchmark is already running; try again in a few seconds');
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    async start(controller) {
      const send = (message: object) => controller.enqueue(encoder.encode(`${JSON.stringify(message)}\n`));
      try {
        const run = await runBenchmark(auth.session.user, (progress) => send({ type: 'progress', ...progress }));
        send({ type: 'done', run });
      } catch (error) {
        console.error('benchmark failed', error);
        send({ type: 'error', message: 'The benchmark failed. See the server log.' });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { ...NO_STORE, 'Content-Type': 'application/x-ndjson' } });
});
