import type { Metadata } from 'next';
import Link from 'next/link';
import { SignupForm } from '@/components/signup-form';
import { safeNextPath } from '@/lib/safe-redirect';

export const metadata: Metadata = { title: 'Sign up' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignupPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next);
  return (
    <div className="mx-auto flex max-w-sm flex-col gap-4">
      <h1 className="text-2xl font-bold">Create an account</h1>
      <SignupForm next={next} />
      <p className="text-sm">
        Already have an account? <Link href={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </div>
  );
}
