import 'server-only';
// OWASP's device cookie: after a successful login the browser holds a sealed list of the accounts
// it signed in to, with an id of its own. A later login to one of those accounts is throttled
// against that browser's allowance instead of the account's (lib/session/throttle.ts).
import { createHash } from 'node:crypto';
import { getTrustedDeviceCookie } from '@/lib/session/cookie';
import { randomId } from '@/lib/session/ids';
import { getTrustedDevicePassword } from '@/lib/session/keys';
import { openSealedCookie } from '@/lib/session/sealed-cookie';

type TrustedDevice = { id?: string; accounts?: string[] };

/** A browser remembers a few accounts at most; the oldest is forgotten first. */
const MAX_ACCOUNTS = 5;

const accountHash = (email: string) => createHash('sha256').update(email).digest('base64url');

function openTrustedDevice() {
  return openSealedCookie<TrustedDevice>(getTrustedDeviceCookie(), getTrustedDevicePassword());
}

/** This browser's device id if it signed in to this account before, else null (also for a forged cookie). */
export async function trustedDeviceFor(email: string): Promise<string | null> {
  try {
    const device = await openTrustedDevice();
    return device.id && device.accounts?.includes(accountHash(email)) ? device.id : null;
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
  device.id ??= randomId();
  device.accounts = [...(device.accounts ?? []).filter((hash) => hash !== accountHash(email)), accountHash(email)].slice(-MAX_ACCOUNTS);
  await device.save();
}
