// Runs the short whole-request measurement and streams its progress as NDJSON lines, ending with
// the stored result. For a server where no `npm run bench` is stored.
import type { NextRequest } from 'next/server';
import { answeringOutages, jsonError } from '@/lib/http/api';
import { isHttpRunRunning, runWholeRequests } from '@/lib/lab/http-run';
import { labCaller, streamRun } from '@/lib/lab/lab-request';

export const POST = answeringOutages(async (request: NextRequest) => {
  const auth = await labCaller(request);
  if ('response' in auth) return auth.response;
  if (isHttpRunRunning()) return jsonError(409, 'A whole-request run is already under way on this server; try again in a few seconds');
  return streamRun('whole-request run', (send) => runWholeRequests(auth.session.user, (fraction) => send({ type: 'progress', fraction })));
});
