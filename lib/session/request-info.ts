import 'server-only';
// Who is calling: user agent and IP. X-Forwarded-For is believed only with TRUST_PROXY, because
// any client can send it; otherwise the socket's address if the app registered a way to learn it
// (client-address.ts), else "unknown".
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';
import { forwardedEntry, resolveClientAddress } from './client-address';
import type { ClientInfo } from './types';

export async function getClientInfo(): Promise<ClientInfo> {
  const h = await headers();
  const ip = forwardedEntry(h.get('x-forwarded-for'), getEnv().TRUST_PROXY) || resolveClientAddress(h) || 'unknown';
  return { userAgent: (h.get('user-agent') ?? '').slice(0, 512), ip: ip.slice(0, 64) };
}
