import 'server-only';
// Who is calling: user agent and IP. X-Forwarded-For is believed only with TRUST_PROXY, because
// any client can send it. Otherwise the address is the socket's when a custom server in this
// process vouches for it (server.mjs; see lib/front-server.ts), and "unknown" under plain
// `next start` or a serverless platform: the session works the same, the devices page shows less.
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';
import { readFrontHeaders } from '@/lib/front-server';
import type { ClientInfo } from '@/lib/session';

export async function getClientInfo(): Promise<ClientInfo> {
  const h = await headers();
  const forwarded = getEnv().TRUST_PROXY ? h.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  const ip = forwarded || readFrontHeaders(h)?.clientIp || 'unknown';
  return { userAgent: (h.get('user-agent') ?? '').slice(0, 512), ip: ip.slice(0, 64) };
}
