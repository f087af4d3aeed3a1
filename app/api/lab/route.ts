// Starts a revocation lab for the signed-in user.
import { NextResponse, type NextRequest } from 'next/server';
import { answeringOutages, jsonError, NO_STORE } from '@/lib/http/api';
import { labCaller } from '@/lib/lab/lab-request';
import { startLab } from '@/lib/lab/revocation-lab';

export const POST = answeringOutages(async (request: NextRequest) => {
  const auth = await labCaller(request);
  if ('response' in auth) return auth.response;
  const lab = await startLab(auth.session.user);
  if ('status' in lab) return jsonError(lab.status, lab.message);
  return NextResponse.json(lab, { status: 201, headers: NO_STORE });
});
