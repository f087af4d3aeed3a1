import 'server-only';
// The article's "monitoring active user counts". Stateful counts users whose session row a request
// touched within the idle limit; hybrid, users whose refresh did (once per access token). A
// stateless request touches nothing, so a stateless server cannot know who is active: it can only
// count logins whose token has not expired yet.
import { getDb } from '@/lib/db/client';
import { processSingleton } from '@/lib/process-state';
import { getSettings } from '@/lib/session/01-settings';
import type { SessionMode } from '@/lib/session/modes';

const distinctUsers = async (where: object) => (await getDb().session.findMany({ where, distinct: ['userId'], select: { userId: true } })).length;

/** Users with a live session of `mode` active within the idle limit (stateful, hybrid). */
export async function countActiveUsers(mode: 'stateful' | 'hybrid', now = new Date()) {
  const idleCutoff = new Date(now.getTime() - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  return distinctUsers({ mode, revokedAt: null, expiresAt: { gt: now }, lastActiveAt: { gt: idleCutoff } });
}

/** Users holding a stateless token that has not expired: logins, not activity (signed out or not, it reads until exp). */
export const countUnexpiredStatelessUsers = (now = new Date()) => distinctUsers({ mode: 'stateless' satisfies SessionMode, expiresAt: { gt: now } });

/** How old the devices page's figure may be: counting reads every live row of the mode, work no page view should repeat. */
export const ACTIVE_USERS_MAX_AGE_SECONDS = 60;

const figures = processSingleton('active-user-figures', () => new Map<string, { count: number; countedAt: Date }>());

/** The count as a maintained figure, recounted when older than ACTIVE_USERS_MAX_AGE_SECONDS; it says when it was counted. */
export async function activeUsersFigure(mode: 'stateful' | 'hybrid', now = new Date()) {
  const figure = figures.get(mode);
  const ageMs = figure ? +now - +figure.countedAt : Infinity;
  if (figure && ageMs >= 0 && ageMs < ACTIVE_USERS_MAX_AGE_SECONDS * 1000) return figure;
  const fresh = { count: await countActiveUsers(mode, now), countedAt: now };
  figures.set(mode, fresh);
  return fresh;
}
