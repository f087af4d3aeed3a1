import 'server-only';
// What the devices page shows: the user's sessions as devices, with parsed user agents, which
// one is this browser, and the counts the article's "monitoring active user counts" asks for.
import { countActiveStatefulUsers, listSessions, type Session, type SessionRecord } from '@/lib/session';
import { describeUserAgent, type DeviceDescription } from '@/lib/user-agent';

export type DeviceView = Omit<SessionRecord, 'tokenHash'> & {
  device: DeviceDescription;
  current: boolean;
  /** Signed out, but a stateless token that still works until exp. */
  stillValidAfterSignOut: boolean;
};

export async function getDevices(session: Session) {
  const now = new Date();
  const [records, activeStatefulUsers] = await Promise.all([listSessions(session.user.id, now), countActiveStatefulUsers(now)]);
  const devices: DeviceView[] = records.map(({ tokenHash, ...record }) => ({
    ...record,
    device: describeUserAgent(record.userAgent),
    current: tokenHash === session.tokenHash,
    stillValidAfterSignOut: record.revokedAt !== null,
  }));
  return { devices, activeCount: devices.filter((d) => !d.stillValidAfterSignOut).length, activeStatefulUsers };
}
