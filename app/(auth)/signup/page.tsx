import type { Metadata } from 'next';
import Link from 'next/link';
import { AlreadySignedIn } from '@/components/already-signed-in';
import { SignupForm } from '@/components/signup-form';
import { getSession } from '@/lib/session/11-dal';
import { safeNextPath } from '@/lib/session/11-dal';

export const metadata: Metadata = { title: 'Sign up' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignupPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next);
  const session = await getSession();
  return (
    <div className="mx-auto flex max-w-sm flex-col gap-4">
      <h1 className="text-2xl font-bold">Create an account</h1>
      {session ? <AlreadySignedIn session={session} next={next} action="Signing up" /> : null}
      <SignupForm next={next} />
      <p className="text-sm">
        Already have an account? <Link href={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </div>
  );
}
