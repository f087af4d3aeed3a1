// Yours: the proxy runs the session's optimistic check before every page (lib/session/12-proxy.ts).
import type { NextRequest } from 'next/server';
import { sessionProxy } from '@/lib/session/12-proxy';

export function proxy(request: NextRequest) {
  return sessionProxy(request, { protectedPaths: ['/dashboard', '/devices'] });
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
