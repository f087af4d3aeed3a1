import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'JWT sessions: stateless vs stateful', template: '%s · JWT sessions' },
  description: 'A reference app that runs both JWT session designs side by side and measures the trade-offs.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      {/* The header lives in each route group's layout (components/site-shell.tsx explains why). */}
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
