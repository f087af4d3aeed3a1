import 'server-only';
// What the devices page shows: the user's sessions grouped by browser, with parsed user agents,
// which one is this browser, why a session ended, and the counts the article's "monitoring
// active user counts" asks for.
import { getDb } from '@/lib/db/client';
import { activeUsersFigure } from '@/lib/lab/active-users';
import { getSettings } from '@/lib/session/01-settings';
import type { Session } from '@/lib/session/05-session';
import { revocationLabel } from '@/lib/view/notices';
import { getSessionRows } from '@/lib/session/04-store';
import { listSessions } from '@/lib/session/10-sessions';
import type { SessionMode } from '@/lib/session/modes';
import { describeUserAgent, type DeviceDescription } from '@/lib/view/user-agent';

type SessionRecord = Awaited<ReturnType<typeof listSessions>>['sessions'][number];

export type DeviceView = Omit<SessionRecord, 'tokenHash' | 'mode'> & {
  mode: SessionMode;
  device: DeviceDescription;
  current: boolean;
  /** Why it ended ("Replaced when this browser switched mode"), or null while signed in. */
  ended: string | null;
};

/**
 * One browser: its login and every re-issue of it (mode switches, a password change) share a
 * device id. `head` is the session it runs now, or its latest one; `earlier` are the replaced
 * ones still listed (stateless tokens that can read until they expire).
 */
type DeviceGroup = { id: string; current: boolean; head: DeviceView; earlier: DeviceView[] };

/**
 * A page of the user's devices: this browser's sessions first (on the first page), then a page of
 * the others', the most recently active first (a page of 50 rows, less this browser's among them).
 * Every query is bounded, however many sessions the account holds (an API client, a family's
 * shared account).
 */
export async function getDevices(session: Session, page = 0) {
  const now = new Date();
  const userId = session.user.id;
  const deviceId = session.deviceId || undefined;
  const [thisBrowser, others, activeCount, activeStatefulUsers] = await Promise.all([
    // A stateless session knows no device id (its token does not carry one): then its own row.
    page > 0 ? { sessions: [] } : deviceId ? listSessions(userId, { now, deviceId }) : getSessionRows(userId, { tokenHash: session.tokenHash }),
    listSessions(userId, { now, page }),
    countSignedIn(userId, now),
    activeUsersFigure('stateful', now),
  ]);
  // This browser's rows lead the first page, so they are left out where the others' pages meet them.
  const views: DeviceView[] = [
    ...thisBrowser.sessions,
    ...others.sessions.filter((row) => row.tokenHash !== session.tokenHash && (!deviceId || row.deviceId !== deviceId)),
  ].map(({ tokenHash, ...record }) => ({
    ...record,
    mode: record.mode as SessionMode,
    device: describeUserAgent(record.userAgent),
    current: tokenHash === session.tokenHash,
    ended: record.revokedAt ? revocationLabel(record.revokedReason) : null,
  }));
  const byDevice = new Map<string, DeviceView[]>();
  // Rows from before device ids existed have none: each is its own group.
  for (const view of views) byDevice.set(view.deviceId || view.id, [...(byDevice.get(view.deviceId || view.id) ?? []), view]);
  const groups: DeviceGroup[] = [...byDevice.entries()].map(([id, rows]) => {
    const head = rows.find((row) => row.current) ?? rows.find((row) => !row.ended) ?? rows[0];
    return { id, current: rows.some((row) => row.current), head, earlier: rows.filter((row) => row !== head) };
  });
  groups.sort((a, b) => Number(b.current) - Number(a.current));
  return { groups, more: others.more, activeCount, activeStatefulUsers };
}

/** Counted up to this many: an account with more sees "1,000+", and the count stays one short read. */
export const SIGNED_IN_COUNT_LIMIT = 1000;

/** Sessions of the user neither signed out, expired nor idle (a stateless one cannot be idle: it records no activity), up to the limit and one more. */
function countSignedIn(userId: string, now: Date) {
  const idleCutoff = new Date(+now - getSettings().SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  const where = { userId, revokedAt: null, expiresAt: { gt: now }, OR: [{ mode: 'stateless' }, { lastActiveAt: { gt: idleCutoff } }] };
  return getDb().session.count({ where, take: SIGNED_IN_COUNT_LIMIT + 1 });
}
