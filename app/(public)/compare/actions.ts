'use server';
// The comparison page's actions: ask the second verifier about a token, and rotate hybrid's
// signing keys. Tokens are read from the cookies here, on the server: the browser only ever sees
// the verifier's verdict. Each validates its FormData with zod and returns typed state;
// redirect() (inside requireActingSession) stays outside try/catch.
import { revalidatePath } from 'next/cache';
import { cookies, headers } from 'next/headers';
import { decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { formOf, NOT_A_FORM } from '@/lib/http/action-input';
import {
  askAboutThrowawayStatelessToken,
  askSecondVerifier,
  getSecondVerifierStatus,
  type VerifierStatus,
  type VerifierVerdict,
} from '@/lib/lab/second-verifier';
import { requireActingSession } from '@/lib/session/auth';
import { getSessionCookieName, readRefreshCookieFromHeader, readSessionCookie, setSessionCookie } from '@/lib/session/cookie';
import { getOptionalSession } from '@/lib/session/dal';
import { RENEWED_HEADER } from '@/lib/session/dal-headers';
import { refreshHybridSession } from '@/lib/session/hybrid';
import { rotateSigningKeys } from '@/lib/session/signing-keys';

/** Which token went to the verifier: this browser's, this browser's just refreshed, or a throwaway stateless one. */
const TOKEN_CHOICES = ['current', 'refreshed', 'stateless'] as const;
type TokenChoice = (typeof TOKEN_CHOICES)[number];

export type VerifierCheck = {
  sent: TokenChoice;
  /** The token's header as this server signed it. */
  alg: string;
  kid: string | null;
  verdict: VerifierVerdict;
  status: VerifierStatus;
};

export type VerifierState = { message?: string; check?: VerifierCheck };

const VerifierInput = z.object({ token: z.enum(TOKEN_CHOICES) });

function headerOf(token: string) {
  const header = decodeProtectedHeader(token);
  return { alg: String(header.alg), kid: typeof header.kid === 'string' ? header.kid : null };
}

/** This request's session token, read as the data-access layer reads it. */
async function currentToken() {
  return readSessionCookie((await headers()).get('cookie'), (await cookies()).get(getSessionCookieName())?.value).token;
}

/**
 * Hybrid only: exchanges this browser's refresh token now (rotating it), and sets the new cookies.
 * If the proxy already renewed the token on this very request, that token is taken as it is: a
 * second rotation would turn a request still in flight with the first predecessor into a reuse
 * that signs the session out.
 */
async function refreshedToken(): Promise<{ token: string } | { message: string }> {
  const token = await currentToken();
  if (token && (await headers()).get(RENEWED_HEADER) === '1') return { token };
  const refresh = readRefreshCookieFromHeader((await headers()).get('cookie'));
  if (!refresh.present) return { message: 'Only a hybrid session has a refresh token. Switch to hybrid in the header first.' };
  const result = await refreshHybridSession(refresh.token);
  if (!result.ok) return { message: `This session can no longer be refreshed (${result.revokedReason ?? result.reason}). Log in again.` };
  setSessionCookie(await cookies(), result.issued);
  return { token: result.issued.token };
}

export async function checkWithSecondVerifier(_prev: VerifierState | undefined, input: FormData): Promise<VerifierState> {
  const formData = await formOf(input);
  if (!formData) return { message: NOT_A_FORM };
  const parsed = VerifierInput.safeParse({ token: formData.get('token') });
  if (!parsed.success) return { message: 'Unknown choice of token.' };
  const sent = parsed.data.token;

  if (sent === 'stateless') {
    // It creates a session row, however briefly: a write, so the row of this one must be alive.
    const session = await requireActingSession();
    const verdict = await askAboutThrowawayStatelessToken(session.user);
    if (!verdict) return { message: 'The stateless mode is disabled on this server (SESSION_MODES).' };
    return { check: { sent, alg: 'HS256', kid: null, verdict, status: await getSecondVerifierStatus() } };
  }

  if (!(await getOptionalSession())) return { message: 'Log in first: the verifier is sent the token of your own session.' };
  const token = sent === 'refreshed' ? await refreshedToken() : { token: await currentToken() };
  if ('message' in token) return { message: token.message };
  if (!token.token) return { message: 'This browser sent no session token.' };
  const verdict = await askSecondVerifier(token.token);
  return { check: { sent, ...headerOf(token.token), verdict, status: await getSecondVerifierStatus() } };
}

export type RotationState = { ok?: boolean; message?: string };

const RotationInput = z.object({ intent: z.literal('rotate') });

export async function rotateKeys(_prev: RotationState | undefined, input: FormData): Promise<RotationState> {
  const formData = await formOf(input);
  if (!formData) return { ok: false, message: NOT_A_FORM };
  if (!RotationInput.safeParse({ intent: formData.get('intent') }).success) return { ok: false, message: NOT_A_FORM };
  // The row for writes: a signed-out token may still read this page, never rotate.
  const session = await requireActingSession();
  if (session.user.role !== 'admin') return { ok: false, message: 'Only an admin may rotate the signing keys.' };
  const result = await rotateSigningKeys();
  if (!result.ok) {
    return {
      ok: false,
      message:
        result.reason === 'too-soon'
          ? `Too soon: the next key must be published for ${getEnv().SIGNING_KEY_PUBLISH_LEAD_SECONDS} s before it signs, so that every verifier can have fetched it. Try again in ${result.waitSeconds} s.`
          : 'Another rotation got there first; nothing changed.',
    };
  }
  revalidatePath('/compare');
  return {
    ok: true,
    message: `Rotated: ${result.activated} signs from now on; ${result.retired || 'no key'} retired (still published until the last token it signed expires); ${result.next} published as the next key.`,
  };
}
