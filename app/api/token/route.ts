// POST: token exchange (RFC 8693) for this browser's session. The subject is the session itself,
// read from its HttpOnly cookies (a page script cannot read them to send them as `subject_token`),
// and it must be alive for a write: its row, and for hybrid its refresh token. The answer is a
// short-lived token for another service's audience, which this app refuses as a session.
//   grant_type=urn:ietf:params:oauth:grant-type:token-exchange&audience=<VERIFIER_AUDIENCE>
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { isSameOrigin } from '@/lib/session/09-hybrid';
import { clearsCookies, noticeForRejection } from '@/lib/session/05-session';
import { authorizeWrite, clearSessionCookies } from '@/lib/session/10-sessions';
import { checkRequest } from '@/lib/session/11-dal';
import { exchangeForServiceToken } from '@/lib/session/service-token';

const NO_STORE = { 'Cache-Control': 'no-store' };

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

export async function POST(request: NextRequest) {
  if (!isSameOrigin(request)) return NextResponse.json({ error: 'Cross-origin request refused' }, { status: 403, headers: NO_STORE });
  const form = await formOf(request);
  if (!form) return oauthError(400, 'invalid_request', 'Send application/x-www-form-urlencoded parameters.');
  if (form.grant_type !== GRANT_TYPE) return oauthError(400, 'unsupported_grant_type', `grant_type must be ${GRANT_TYPE}.`);
  const input = Exchange.safeParse(form);
  if (!input.success) return oauthError(400, 'invalid_request', 'audience is required; requested_token_type, if given, must be a JWT.');
  const check = await checkRequest('route');
  const authorized = check.ok ? await authorizeWrite(check.session, request.headers.get('cookie')) : check;
  if (!authorized.ok) {
    const response = NextResponse.json({ error: 'Not signed in', reason: noticeForRejection(authorized) }, { status: 401, headers: NO_STORE });
    if (check.present && clearsCookies(authorized)) clearSessionCookies(response.cookies);
    return response;
  }
  const issued = await exchangeForServiceToken(authorized.session, input.data.audience);
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
}
