import 'server-only';
// The article's "monitoring active user counts": users with at least one live stateful session,
// which only a server that reads a row per request can count. A stateless server cannot know.
import { getDb } from '@/lib/db/client';
import { getSettings } from '@/lib/session/01-settings';

export async function countActiveStatefulUsers(now = new Date()) {
  const idleCutoff = new Date(now.getTime() - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  const rows = await getDb().session.findMany({
    where: { mode: 'stateful', revokedAt: null, expiresAt: { gt: now }, lastActiveAt: { gt: idleCutoff } },
    distinct: ['userId'],
    select: { userId: true },
  });
  return rows.length;
}
