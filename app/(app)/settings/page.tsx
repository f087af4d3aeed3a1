import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/change-password-form';
import { verifySession } from '@/lib/dal';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await verifySession();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">Settings</h1>
      <h2 className="text-lg font-semibold">Change password</h2>
      <p className="max-w-2xl text-sm text-slate-700">
        Changing your password signs out every other device. Stateful sessions end on their next request. Stateless tokens cannot be
        recalled: they carry no password version and are never checked against the database, so a stolen one keeps working until it
        expires. That is the price of zero lookups per request.
      </p>
      <ChangePasswordForm />
    </div>
  );
}
