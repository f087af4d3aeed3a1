// Runs the outage drill (a real database outage on the cluster, a simulated one on a single
// server) and answers with its result once the database is back.
import { NextResponse, type NextRequest } from 'next/server';
import { answeringOutages, jsonError, NO_STORE } from '@/lib/http/api';
import { labCaller } from '@/lib/lab/lab-request';
import { runOutageDrill } from '@/lib/lab/outage-drill';

export const POST = answeringOutages(async (request: NextRequest) => {
  const auth = await labCaller(request);
  if ('response' in auth) return auth.response;
  const drill = await runOutageDrill(auth.session.user);
  if ('status' in drill) return jsonError(drill.status, drill.message);
  return NextResponse.json(drill, { status: 201, headers: NO_STORE });
});
