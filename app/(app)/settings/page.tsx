import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/change-password-form';
import { requireSession } from '@/lib/session/11-dal';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requireSession();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">Settings</h1>
      <h2 className="text-lg font-semibold">Change password</h2>
      <p className="max-w-2xl text-sm text-slate-700">
        Changing your password signs out every other device, and this browser continues with a fresh session. Stateful sessions end on their next request.
        Stateless tokens cannot be recalled: a stolen one can still <em>read</em> until it expires, because reads never touch the database. It can no longer{' '}
        <em>act</em>, though: every change (switching mode, signing devices out, changing the password) reads the session&apos;s record first, and refuses
        sessions that were signed out or started before the password change.
      </p>
      <ChangePasswordForm />
    </div>
  );
}
