// The public keys that verify hybrid access tokens (RFC 7517): the next key, the current one and
// any previous one whose tokens may still be alive. Anyone may fetch it; verifier/server.mjs
// verifies tokens with it and nothing else.
import { NextResponse } from 'next/server';
import { listPublishedKeys } from '@/lib/session/signing-keys';
import { answeringOutages } from '@/lib/http/api';

export const dynamic = 'force-dynamic';

/** Short, so a rotation reaches caches quickly; the next key is published long before it signs. */
const MAX_AGE_SECONDS = 60;

export const GET = answeringOutages(async () => {
  const keys = await listPublishedKeys();
  return NextResponse.json({ keys: keys.map((key) => key.jwk) }, { headers: { 'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}` } });
});
