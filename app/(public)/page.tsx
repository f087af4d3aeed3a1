import Link from 'next/link';
import { ModeSummaries } from '@/components/mode-summaries';

export default function HomePage() {
  return (
    <article className="prose flex max-w-3xl flex-col gap-5">
      <h1 className="text-3xl font-bold">Stateless or stateful JWT sessions?</h1>
      <p>
        This app runs three session designs side by side: the two the article <cite>“JWT Session Token Implementation: Stateful vs. Stateless”</cite> compares,
        stateless and stateful, and the hybrid most identity providers ship. Log in, flip the mode switch in the header, and watch what changes.
      </p>
      <ModeSummaries />
      <p className="flex flex-wrap gap-4 font-medium">
        <Link href="/try">Start here: five experiments to try</Link>
        <Link href="/login">Log in</Link>
        <Link href="/signup">Sign up</Link>
        <Link href="/compare">Compare them, measured on this server</Link>
      </p>
    </article>
  );
}
