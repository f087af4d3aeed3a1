// Starts a revocation lab for the signed-in user.
import { NextResponse, type NextRequest } from 'next/server';
import { NO_STORE, isSameOrigin, jsonError, requireApiSession } from '@/lib/api';
import { LAB_ALREADY_RUNNING, startLab } from '@/lib/revocation-lab';

export async function POST(request: NextRequest) {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const auth = await requireApiSession({ write: true });
  if ('response' in auth) return auth.response;
  const lab = await startLab(auth.session.user);
  if (!lab) return jsonError(429, LAB_ALREADY_RUNNING);
  return NextResponse.json(lab, { status: 201, headers: NO_STORE });
}
