// Starts a revocation lab for the signed-in user.
import { NextResponse, type NextRequest } from 'next/server';
import { answeringOutages, isSameOrigin, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { refuseLabWithoutAllModes } from '@/lib/lab/runs';
import { startLab } from '@/lib/lab/revocation-lab';

export const POST = answeringOutages(async (request: NextRequest) => {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const disabled = refuseLabWithoutAllModes();
  if (disabled) return jsonError(409, disabled);
  const auth = await requireApiSession({ write: true });
  if ('response' in auth) return auth.response;
  const lab = await startLab(auth.session.user);
  if ('status' in lab) return jsonError(lab.status, lab.message);
  return NextResponse.json(lab, { status: 201, headers: NO_STORE });
});
