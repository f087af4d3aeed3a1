// The public keys that verify hybrid access tokens and service tokens (RFC 7517): the next key,
// the current one and any previous one whose tokens may still be alive. Anyone may fetch it;
// verifier/server.mjs verifies tokens with it and nothing else. Served from the process's copy of
// the key set (no query per request), cacheable for as long as a next key is published before it
// may sign, less the age of that copy.
import { NextResponse } from 'next/server';
import { getPublishedKeySet } from '@/lib/session/signing-keys';
import { answeringOutages } from '@/lib/http/api';

export const dynamic = 'force-dynamic';

export const GET = answeringOutages(async () => {
  const { keys, maxAgeSeconds } = await getPublishedKeySet();
  return NextResponse.json({ keys }, { headers: { 'Cache-Control': maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : 'no-cache' } });
});
