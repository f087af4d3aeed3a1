'use server';
// Yours: sign up and log in. Every field is parsed with zod; a failure comes back as ?error=.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { authenticateUser, createUser } from '@/lib/session/accounts';
import { allowedModes } from '@/lib/session/10-sessions';
import { getClientInfo, safeNextPath, startSession } from '@/lib/session/11-dal';
import { SESSION_MODES } from '@/lib/session/modes';

const Form = z.object({
  intent: z.enum(['login', 'signup']),
  name: z.string().trim().max(200).optional(),
  email: z.email().max(254),
  password: z.string().min(8).max(200),
  mode: z.enum(SESSION_MODES).optional(),
  next: z.string().optional(),
});

export async function logIn(formData: FormData) {
  const parsed = Form.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect('/login?error=invalid-form');
  const { intent, name, email, password, mode = allowedModes()[0], next } = parsed.data;
  const user = intent === 'signup' ? await createUser({ name: name || email, email, password }) : await authenticateUser(email, password);
  if (!user) {
    // A failed login is worth a log line, with the address your proxies vouch for (TRUST_PROXY).
    if (intent === 'login') console.warn(`login failed from ${(await getClientInfo()).ip}`);
    redirect(`/login?error=${intent === 'signup' ? 'email-taken' : 'wrong-password'}`);
  }
  if (!allowedModes().includes(mode)) redirect('/login?error=mode');
  await startSession(user, mode);
  redirect(safeNextPath(next));
}
