// A revocation lab's progress, for the user who started it.
import { NextResponse } from 'next/server';
import { answeringOutages, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { getLab } from '@/lib/lab/revocation-lab';
import { RANDOM_ID } from '@/lib/session/01-settings';

export const GET = answeringOutages(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const auth = await requireApiSession();
  if ('response' in auth) return auth.response;
  const id = RANDOM_ID.safeParse((await params).id);
  const lab = id.success ? getLab(id.data, auth.session.user.id) : null;
  if (!lab) return jsonError(404, 'No such lab');
  return NextResponse.json(lab, { headers: NO_STORE });
});
