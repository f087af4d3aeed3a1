import 'server-only';
// Who is calling: user agent and IP. X-Forwarded-For is believed only with TRUST_PROXY, because
// any client can send it; otherwise the address is the socket's, which server.mjs passes on.
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';
import type { ClientInfo } from '@/lib/session';

export const CLIENT_IP_HEADER = 'x-client-socket-ip';

export async function getClientInfo(): Promise<ClientInfo> {
  const h = await headers();
  const forwarded = getEnv().TRUST_PROXY ? h.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  const ip = forwarded || h.get(CLIENT_IP_HEADER) || 'unknown';
  return { userAgent: (h.get('user-agent') ?? '').slice(0, 512), ip: ip.slice(0, 64) };
}
