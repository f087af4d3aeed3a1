import type { Metadata } from 'next';
import Link from 'next/link';
import { SiteShell } from '@/components/site-shell';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <SiteShell>
      <div className="mx-auto flex max-w-md flex-col gap-3 py-10 text-center">
        <p className="font-mono text-sm text-slate-500">404</p>
        <h1 className="text-2xl font-bold">This page does not exist</h1>
        <p className="text-slate-700">The address may be mistyped, or the page may have moved.</p>
        <p className="flex justify-center gap-4 font-medium">
          <Link href="/">Home</Link>
          <Link href="/compare">Compare the two modes</Link>
        </p>
      </div>
    </SiteShell>
  );
}
