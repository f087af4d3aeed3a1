import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { SignOutEverywhereButton, SignOutOthersButton } from '@/components/device-actions';
import { DeviceList, type DeviceRow } from '@/components/device-list';
import { requireSession } from '@/lib/session/11-dal';
import { getDevices, SIGNED_IN_COUNT_LIMIT, type DeviceView } from '@/lib/view/devices';
import { getEnv } from '@/lib/env';
import { formatDateTime, formatDuration, formatRelative } from '@/lib/view/format';

export const metadata: Metadata = { title: 'Devices' };

/**
 * When a signed-out device's token really stops reading: a stateless token at its exp; a hybrid
 * access token at the latest one access lifetime after the sign-out (it was issued before it, and
 * its refresh is refused). Plus the clock tolerance every exp check allows.
 */
function readsUntilUnix(device: DeviceView, toleranceSeconds: number, accessTtlSeconds: number) {
  const end =
    device.mode === 'hybrid' && device.revokedAt
      ? Math.min(device.revokedAt.getTime() + accessTtlSeconds * 1000, device.expiresAt.getTime())
      : device.expiresAt.getTime();
  return Math.floor(end / 1000) + toleranceSeconds;
}

function lastActive(device: DeviceView, now: Date) {
  if (device.mode === 'stateful') return formatRelative(device.lastActiveAt, now);
  if (device.mode === 'hybrid') return `${formatRelative(device.lastActiveAt, now)} (its last refresh: reads between refreshes never touch the database)`;
  return 'not tracked (stateless requests never touch the database)';
}

function toRow(device: DeviceView, now: Date, toleranceSeconds: number, accessTtlSeconds: number): DeviceRow {
  return {
    id: device.id,
    label: device.device.label,
    type: device.device.type,
    ip: device.ip,
    mode: device.mode,
    signedIn: formatRelative(device.authenticatedAt ?? device.createdAt, now),
    lastActive: lastActive(device, now),
    expires: formatDateTime(device.expiresAt),
    readsUntilUnix: readsUntilUnix(device, toleranceSeconds, accessTtlSeconds),
    stillReads: device.mode !== 'stateful' && readsUntilUnix(device, toleranceSeconds, accessTtlSeconds) * 1000 > now.getTime(),
    current: device.current,
    ended: device.ended,
  };
}

// ?page=N (from 1); anything else is the first page.
const PageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DevicesPage({ searchParams }: Props) {
  const session = await requireSession();
  const page = PageParam.parse((await searchParams).page);
  const { groups, more, activeCount, activeStatefulUsers } = await getDevices(session, page - 1);
  const now = new Date();
  const env = getEnv();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Your devices</h1>
      <p data-testid="session-counts" className="text-sm">
        <span>
          You have <strong>{activeCount > SIGNED_IN_COUNT_LIMIT ? `${SIGNED_IN_COUNT_LIMIT.toLocaleString('en')}+` : activeCount}</strong> active{' '}
          {activeCount === 1 ? 'session' : 'sessions'}.
        </span>{' '}
        <span>
          <strong>{activeStatefulUsers.count}</strong> {activeStatefulUsers.count === 1 ? 'user had' : 'users had'} an active stateful session on this server
          when it last counted, {formatRelative(activeStatefulUsers.countedAt, now)} (it counts at most once a minute: the count reads every live row).
          Stateless sessions cannot be counted: the server keeps no record it trusts.
        </span>
      </p>
      <section
        aria-label="What signing out means in each mode"
        className="grid gap-3 rounded-lg border border-slate-200 bg-slate-100 p-4 text-sm lg:grid-cols-3"
      >
        <p>
          <strong className="text-emerald-700">Stateful:</strong> signing a device out deletes its authority at once. Its very next request is refused. Idle
          sessions end after {formatDuration(env.SESSION_IDLE_TIMEOUT_SECONDS)}, all after {formatDuration(env.SESSION_ABSOLUTE_TTL_SECONDS)}.
        </p>
        <p>
          <strong className="text-amber-700">Stateless:</strong> the server cannot end these. Signing one out marks its record: the browser can still{' '}
          <em>read</em> its pages until the token expires ({formatDuration(env.STATELESS_TOKEN_TTL_SECONDS)} after login), but it can no longer <em>act</em>.
          Switching mode, signing devices out and changing the password all check the record first, and a signed-out token is refused and logged out there.
        </p>
        <p>
          <strong className="text-sky-700">Hybrid:</strong> signing one out revokes its refresh token. Its short access token still <em>reads</em> until it
          expires, at most {formatDuration(env.HYBRID_ACCESS_TTL_SECONDS)} later, and cannot <em>act</em>; then its refresh is refused, on every instance. A
          refresh token used twice signs its whole session out (someone holds a copy). Idle sessions end after{' '}
          {formatDuration(env.SESSION_IDLE_TIMEOUT_SECONDS)} without a refresh, all after {formatDuration(env.SESSION_ABSOLUTE_TTL_SECONDS)}.
        </p>
      </section>
      <p data-testid="fresh-sign-in-rule" className="text-sm text-slate-700">
        Signing devices out asks for your password when you signed in more than {formatDuration(env.FRESH_SIGN_IN_SECONDS)} ago (a mode switch does not count as
        a sign-in), so a stolen session cookie alone cannot sign your own devices out.
      </p>
      {groups.filter((group) => !group.current && !group.head.ended).length === 0 ? (
        <p data-testid="second-device-hint" className="max-w-3xl rounded-lg border border-indigo-200 bg-indigo-50 p-3 text-sm">
          No other device of yours is signed in. To watch what signing one out does in this mode, open a private window (or another browser), log in there as{' '}
          {session.user.email ?? 'this same account'}, and come back to this page: the other device appears here with a Sign out button.
        </p>
      ) : null}
      <DeviceList
        cards={groups.map((group) => ({
          id: group.id,
          head: toRow(group.head, now, env.CLOCK_TOLERANCE_SECONDS, env.HYBRID_ACCESS_TTL_SECONDS),
          earlier: group.earlier.map((device) => toRow(device, now, env.CLOCK_TOLERANCE_SECONDS, env.HYBRID_ACCESS_TTL_SECONDS)),
        }))}
      />
      {page > 1 || more ? (
        <nav aria-label="Pages of devices" className="flex gap-4 text-sm">
          <span>Page {page}</span>
          {page > 1 ? <Link href={page === 2 ? '/devices' : `/devices?page=${page - 1}`}>Newer devices</Link> : null}
          {more ? <Link href={`/devices?page=${page + 1}`}>Older devices</Link> : null}
        </nav>
      ) : null}
      <div className="flex flex-wrap items-start gap-4">
        <SignOutOthersButton />
        <SignOutEverywhereButton />
      </div>
    </div>
  );
}
