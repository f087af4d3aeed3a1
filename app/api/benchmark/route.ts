// Runs the benchmark and streams its progress as NDJSON lines, ending with the stored result.
import type { NextRequest } from 'next/server';
import { answeringOutages, jsonError } from '@/lib/http/api';
import { isBenchmarkRunning, runBenchmark } from '@/lib/lab/benchmark';
import { labCaller, streamRun } from '@/lib/lab/lab-request';

export const POST = answeringOutages(async (request: NextRequest) => {
  const auth = await labCaller(request);
  if ('response' in auth) return auth.response;
  if (isBenchmarkRunning()) return jsonError(409, 'A benchmark is already running; try again in a few seconds');
  return streamRun('benchmark', (send) => runBenchmark(auth.session.user, (progress) => send({ type: 'progress', ...progress })));
});
