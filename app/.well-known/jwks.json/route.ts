// The public keys that verify hybrid access tokens and service tokens (RFC 7517): the next key,
// the current one and any previous one whose tokens may still be alive. Anyone may fetch it;
// another service (verifier/server.mjs) verifies tokens with it and nothing else. Served from the
// process's copy of the key set (no query per request), cacheable for as long as a next key is
// published before it may sign, less the age of that copy.
import { NextResponse } from 'next/server';
import { getPublishedKeySet } from '@/lib/session/08-hybrid-keys';

export const dynamic = 'force-dynamic';

export async function GET() {
  const { keys, maxAgeSeconds } = await getPublishedKeySet();
  return NextResponse.json({ keys }, { headers: { 'Cache-Control': maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : 'no-cache' } });
}
