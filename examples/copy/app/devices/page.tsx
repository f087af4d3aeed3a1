// Yours: the devices list. Each mode decides which rows it lists (a stateless token still reads after
// its row is revoked, so it stays listed until it expires). listSessions gives a page at a time
// (the 50 most recently active here; pass { page } for the next).
import { requireSession } from '@/lib/session/11-dal';
import { listSessions } from '@/lib/session/10-sessions';
import { signOutDevice, signOutEverywhere, signOutOtherDevices } from './actions';

export default async function DevicesPage() {
  const session = await requireSession();
  const { sessions: devices } = await listSessions(session.user.id);
  return (
    <main>
      <h1>Devices</h1>
      <ul>
        {devices.map((device) => (
          <li key={device.id} data-testid="device">
            {device.mode} · {device.userAgent} · {device.tokenHash === session.tokenHash ? 'this device' : device.revokedAt ? 'signed out' : 'signed in'}
            {device.tokenHash !== session.tokenHash && !device.revokedAt && (
              <form action={signOutDevice}>
                <input type="hidden" name="sessionId" value={device.id} />
                <button>Sign out</button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form action={signOutOtherDevices}>
        <button>Sign out every other device</button>
      </form>
      <form action={signOutEverywhere}>
        <button>Sign out everywhere</button>
      </form>
    </main>
  );
}
