'use server';
// The comparison page's actions: ask the second verifier about a token, and rotate hybrid's
// signing keys. Tokens are read from the cookies or minted here, on the server: the browser only
// ever sees the verifier's verdict. Each validates its FormData with zod and returns typed state;
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
import { requireWriteSession } from '@/lib/session/11-dal';
import { readCookie, sessionCookieName } from '@/lib/session/03-cookies';
import { getSession } from '@/lib/session/11-dal';
import { exchangeForServiceToken } from '@/lib/session/service-token';
import { rotateSigningKeys } from '@/lib/session/08-hybrid-keys';

/**
 * Which token went to the verifier: one minted for it by a token exchange from this session, this
 * browser's session token itself, or a throwaway stateless one.
 */
const TOKEN_CHOICES = ['exchanged', 'session', 'stateless'] as const;
type TokenChoice = (typeof TOKEN_CHOICES)[number];

export type VerifierCheck = {
  sent: TokenChoice;
  /** The token's header as this server signed it. */
  alg: string;
  typ: string | null;
  kid: string | null;
  verdict: VerifierVerdict;
  status: VerifierStatus;
};

export type VerifierState = { message?: string; check?: VerifierCheck };

const VerifierInput = z.object({ token: z.enum(TOKEN_CHOICES) });

function headerOf(token: string) {
  const header = decodeProtectedHeader(token);
  return { alg: String(header.alg), typ: typeof header.typ === 'string' ? header.typ : null, kid: typeof header.kid === 'string' ? header.kid : null };
}

/** This request's session token, read as the data-access layer reads it. */
async function currentToken() {
  return readCookie((await headers()).get('cookie'), sessionCookieName(), (await cookies()).get(sessionCookieName())?.value).value;
}

async function check(sent: TokenChoice, token: string): Promise<VerifierState> {
  const verdict = await askSecondVerifier(token);
  return { check: { sent, ...headerOf(token), verdict, status: await getSecondVerifierStatus() } };
}

export async function checkWithSecondVerifier(_prev: VerifierState | undefined, input: FormData): Promise<VerifierState> {
  const formData = await formOf(input);
  if (!formData) return { message: NOT_A_FORM };
  const parsed = VerifierInput.safeParse({ token: formData.get('token') });
  if (!parsed.success) return { message: 'Unknown choice of token.' };
  const sent = parsed.data.token;

  if (sent === 'session') {
    if (!(await getSession())) return { message: 'Log in first: the verifier is sent the token of your own session.' };
    const token = await currentToken();
    return token ? check(sent, token) : { message: 'This browser sent no session token.' };
  }
  // Both mint a token: a write, so the row of this session must be alive (and hybrid's refresh token shown).
  const session = await requireWriteSession();
  if (sent === 'exchanged') {
    const exchanged = await exchangeForServiceToken(session, getEnv().VERIFIER_AUDIENCE);
    return exchanged ? check(sent, exchanged.token) : { message: 'This server mints no token for the verifier’s audience.' };
  }
  const verdict = await askAboutThrowawayStatelessToken(session.user);
  if (!verdict) return { message: 'The stateless mode is disabled on this server (SESSION_MODES).' };
  return { check: { sent, alg: 'HS256', typ: 'session-stateless+jwt', kid: null, verdict, status: await getSecondVerifierStatus() } };
}

export type RotationState = { ok?: boolean; message?: string };

const RotationInput = z.object({ intent: z.literal('rotate') });

export async function rotateKeys(_prev: RotationState | undefined, input: FormData): Promise<RotationState> {
  const formData = await formOf(input);
  if (!formData) return { ok: false, message: NOT_A_FORM };
  if (!RotationInput.safeParse({ intent: formData.get('intent') }).success) return { ok: false, message: NOT_A_FORM };
  // The row for writes: a signed-out token may still read this page, never rotate.
  const session = await requireWriteSession();
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
