// The protected endpoint: who this token belongs to, or 401. The revocation lab replays tokens
// here, and it is the simplest place to read the Server-Timing header of a session check.
import { NextResponse } from 'next/server';
import { answeringOutages, NO_STORE, requireApiSession } from '@/lib/http/api';
import { getCheckMeasurement } from '@/lib/lab/observe';

export const GET = answeringOutages(async () => {
  const auth = await requireApiSession();
  if ('response' in auth) return auth.response;
  const { session } = auth;
  return NextResponse.json(
    {
      mode: session.mode,
      user: { id: session.user.id, name: session.user.name, role: session.user.role },
      expiresAt: session.expiresAt.toISOString(),
      check: getCheckMeasurement(session),
    },
    // server.mjs adds the Server-Timing header that the lab's observer measured for this check.
    { headers: NO_STORE },
  );
});
