'use client';
// Re-renders the page's server components every few seconds while the tab is visible, so the
// live checks of the experiments follow what happens in another window (or in the lab's thief).
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function LiveRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
