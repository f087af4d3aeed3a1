'use server';
// Yours: signing devices out, and logging out. A write needs a session that may act
// (requireWriteSession: for stateless and hybrid, its row is read first).
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { RANDOM_ID } from '@/lib/session/01-settings';
import { revokeOtherSessions, revokeSession } from '@/lib/session/04-store';
import { endAllSessions, endSession, requireWriteSession } from '@/lib/session/11-dal';

export async function signOutDevice(formData: FormData) {
  const session = await requireWriteSession();
  const sessionId = RANDOM_ID.safeParse(formData.get('sessionId'));
  if (sessionId.success) await revokeSession(session.user.id, sessionId.data, 'signed-out-by-other-device');
  revalidatePath('/devices');
}

export async function signOutOtherDevices() {
  const session = await requireWriteSession();
  await revokeOtherSessions(session.user.id, session.tokenHash, 'signed-out-by-other-device');
  revalidatePath('/devices');
}

export async function signOutEverywhere() {
  await endAllSessions(await requireWriteSession());
  redirect('/login?reason=signed-out-elsewhere');
}

export async function logOut() {
  await endSession();
  redirect('/login?reason=logged-out');
}
