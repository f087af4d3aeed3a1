// POST: token exchange (RFC 8693) for this browser's session. The subject is the session itself,
// read from its HttpOnly cookies (a page script cannot read them to send them as `subject_token`),
// and it must be alive for a write: its row, and for hybrid its refresh token. The answer is a
// short-lived token for another service's audience, which this app refuses as a session.
//   grant_type=urn:ietf:params:oauth:grant-type:token-exchange&audience=<VERIFIER_AUDIENCE>
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { answeringOutages, isSameOrigin, jsonError, NO_STORE, requireApiSession } from '@/lib/http/api';
import { exchangeForServiceToken } from '@/lib/session/service-token';

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

const Exchange = z.object({
  grant_type: z.literal(GRANT_TYPE),
  audience: z.string().min(1).max(256),
  requested_token_type: z.literal(JWT_TOKEN_TYPE).optional(),
});

/** RFC 6749 §5.2's error answer. */
function oauthError(status: number, error: string, description: string) {
  return NextResponse.json({ error, error_description: description }, { status, headers: NO_STORE });
}

async function formOf(request: NextRequest) {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  try {
    return Object.fromEntries(new URLSearchParams(await request.text()));
  } catch {
    return null;
  }
}

export const POST = answeringOutages(async (request: NextRequest) => {
  if (!isSameOrigin(request)) return jsonError(403, 'Cross-origin request refused');
  const form = await formOf(request);
  if (!form) return oauthError(400, 'invalid_request', 'Send application/x-www-form-urlencoded parameters.');
  if (form.grant_type !== GRANT_TYPE) return oauthError(400, 'unsupported_grant_type', `grant_type must be ${GRANT_TYPE}.`);
  const input = Exchange.safeParse(form);
  if (!input.success) return oauthError(400, 'invalid_request', 'audience is required; requested_token_type, if given, must be a JWT.');
  const auth = await requireApiSession({ write: true });
  if ('response' in auth) return auth.response;
  const issued = await exchangeForServiceToken(auth.session, input.data.audience);
  if (!issued) return oauthError(400, 'invalid_target', 'This server does not mint tokens for that audience.');
  return NextResponse.json(
    {
      access_token: issued.token,
      issued_token_type: JWT_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.round((issued.expiresAt.getTime() - Date.now()) / 1000)),
    },
    { headers: NO_STORE },
  );
});
