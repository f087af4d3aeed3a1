import type { Metadata } from 'next';
import Link from 'next/link';
import { LoginForm } from '@/components/login-form';
import { noticeText } from '@/lib/notices';
import { safeNextPath } from '@/lib/safe-redirect';

export const metadata: Metadata = { title: 'Log in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const notice = noticeText(params.reason);
  return (
    <div className="mx-auto flex max-w-sm flex-col gap-4">
      <h1 className="text-2xl font-bold">Log in</h1>
      {notice ? (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm">
          {notice}
        </p>
      ) : null}
      <LoginForm next={next} />
      <p className="text-sm">
        No account? <Link href={`/signup?next=${encodeURIComponent(next)}`}>Sign up</Link>
      </p>
    </div>
  );
}
