import 'server-only';
// What the devices page shows: the user's sessions grouped by browser, with parsed user agents,
// which one is this browser, why a session ended, and the counts the article's "monitoring
// active user counts" asks for.
import { countActiveStatefulUsers } from '@/lib/lab/active-users';
import type { SessionRecord } from '@/lib/session/04-store';
import type { Session } from '@/lib/session/05-session';
import { revocationLabel } from '@/lib/view/notices';
import { listSessions } from '@/lib/session/10-sessions';
import type { SessionMode } from '@/lib/session/modes';
import { describeUserAgent, type DeviceDescription } from '@/lib/view/user-agent';

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

export async function getDevices(session: Session) {
  const now = new Date();
  const [records, activeStatefulUsers] = await Promise.all([listSessions(session.user.id, now), countActiveStatefulUsers(now)]);
  const views: DeviceView[] = records.map(({ tokenHash, ...record }) => ({
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
  return { groups, activeCount: views.filter((view) => !view.ended).length, activeStatefulUsers };
}
