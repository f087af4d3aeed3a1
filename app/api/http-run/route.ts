// Runs the short whole-request measurement and streams its progress as NDJSON lines, ending with
// the stored result. For a server where no `npm run bench` is stored.
import type { NextRequest } from 'next/server';
import { answeringOutages, isSameOrigin, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { refuseLabWithoutAllModes } from '@/lib/lab/runs';
import { isHttpRunRunning, runWholeRequests } from '@/lib/lab/http-run';

export const POST = answeringOutages(async (request: NextRequest) => {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const disabled = refuseLabWithoutAllModes();
  if (disabled) return jsonError(409, disabled);
  const auth = await requireApiSession({ write: true });
  if ('response' in auth) return auth.response;
  if (isHttpRunRunning()) return jsonError(409, 'A whole-request run is already under way on this server; try again in a few seconds');
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    async start(controller) {
      const send = (message: object) => controller.enqueue(encoder.encode(`${JSON.stringify(message)}\n`));
      try {
        const run = await runWholeRequests(auth.session.user, (fraction) => send({ type: 'progress', fraction }));
        send({ type: 'done', run });
      } catch (error) {
        console.error('whole-request run failed', error);
        send({ type: 'error', message: 'The run failed. See the server log.' });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { ...NO_STORE, 'Content-Type': 'application/x-ndjson' } });
});
