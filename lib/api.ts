import 'server-only';
// Helpers for route handlers, which get none of the protections Next gives server actions:
// a same-origin check for state-changing requests, and JSON errors that never leak details.
import { NextResponse, type NextRequest } from 'next/server';
import { getSessionCheck, type SessionCheck } from '@/lib/dal';
import type { Session } from '@/lib/session';

export const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonError(status: number, message: string) {
  return NextResponse.json({ error: message }, { status, headers: NO_STORE });
}

/** A POST from another site (or with no Origin at all) is refused: SameSite=Lax alone is not enough. */
export function isSameOrigin(request: NextRequest) {
  const origin = request.headers.get('origin');
  const host = request.headers.get('host');
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The caller's session and its check, or a 401 response to return as is. React's cache() does
 * not memoise in route handlers, so a handler must check once and pass the result along.
 */
export async function requireApiSession(): Promise<{ session: Session; check: SessionCheck } | { response: NextResponse }> {
  const check = await getSessionCheck();
  if (!check.ok) return { response: jsonError(401, 'Not signed in') };
  return { session: check.session, check };
}
