import 'server-only';
// Hardening · OWASP's device cookie: after a successful login the browser holds a sealed list of
// the accounts it signed in to, with an id of its own. A later login to one of those accounts is
// throttled against that browser's allowance instead of the account's (throttle.ts), so an
// attacker who spends the account's allowance cannot lock its owner out. Each entry is bound to
// the account's password: once it changes, a browser that knew the old one (a former attacker's,
// say) is no longer trusted and shares the account's allowance again.
import { createHash } from 'node:crypto';
import { cookies } from 'next/headers';
import { getIronSession, unsealData } from 'iron-session';
import { getDb } from '@/lib/db/client';
import { deriveKey, randomId } from '../01-settings';
import { cookieAttributes, cookieName } from '../03-cookies';

type TrustedDevice = { id?: string; accounts?: string[] };

/** A browser remembers a few accounts at most; the oldest is forgotten first. */
const MAX_ACCOUNTS = 5;
const TTL_SECONDS = 365 * 24 * 3600;

const password = () => deriveKey('trusted-device-cookie').toString('hex');

async function openTrustedDevice() {
  return getIronSession<TrustedDevice>(await cookies(), {
    password: password(),
    cookieName: cookieName('device'),
    ttl: TTL_SECONDS,
    cookieOptions: cookieAttributes(),
  });
}

/** The entry for an account as its password stands now; undefined for an unknown email. */
async function accountEntry(email: string) {
  const user = await getDb().user.findUnique({ where: { email }, select: { passwordChangedAt: true } });
  if (!user) return undefined;
  return createHash('sha256')
    .update(`${email}\n${user.passwordChangedAt?.getTime() ?? 0}`)
    .digest('base64url');
}

/**
 * This browser's device id (null without a readable cookie), and the same id as `trustedDeviceId` if
 * it signed in to this account with its current password, else null (also for a forged cookie).
 */
export async function deviceFor(email: string): Promise<{ deviceId: string | null; trustedDeviceId: string | null }> {
  let device;
  try {
    device = await openTrustedDevice();
  } catch {
    return { deviceId: null, trustedDeviceId: null };
  }
  if (!device.id) return { deviceId: null, trustedDeviceId: null };
  const entry = device.accounts?.length ? await accountEntry(email) : undefined;
  return { deviceId: device.id, trustedDeviceId: entry && device.accounts!.includes(entry) ? device.id : null };
}

/** The device id in the cookie's value, for the proxy (which reads the request, not next/headers); null when it does not unseal. */
export async function deviceIdOf(sealed: string | undefined): Promise<string | null> {
  if (!sealed) return null;
  try {
    const device = await unsealData<TrustedDevice>(sealed, { password: password(), ttl: TTL_SECONDS });
    return typeof device.id === 'string' ? device.id : null;
  } catch {
    return null;
  }
}

export async function rememberTrustedDevice(email: string) {
  let device;
  try {
    device = await openTrustedDevice();
  } catch {
    return; // an unreadable cookie stays as it is; the next login starts a fresh one
  }
  const entry = await accountEntry(email);
  if (!entry) return;
  device.id ??= randomId();
  device.accounts = [...(device.accounts ?? []).filter((hash) => hash !== entry), entry].slice(-MAX_ACCOUNTS);
  await device.save();
}
