// Runs the outage drill (a real database outage on the cluster, a simulated one on a single
// server) and answers with its result once the database is back.
import { NextResponse, type NextRequest } from 'next/server';
import { answeringOutages, isSameOrigin, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { refuseLabWithoutAllModes } from '@/lib/lab/runs';
import { runOutageDrill } from '@/lib/lab/outage-drill';

export const POST = answeringOutages(async (request: NextRequest) => {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const disabled = refuseLabWithoutAllModes();
  if (disabled) return jsonError(409, disabled);
  const auth = await requireApiSession({ write: true });
  if ('response' in auth) return auth.response;
  const drill = await runOutageDrill(auth.session.user);
  if ('status' in drill) return jsonError(drill.status, drill.message);
  return NextResponse.json(drill, { status: 201, headers: NO_STORE });
});
