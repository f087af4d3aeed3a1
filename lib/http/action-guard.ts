// Server-action requests whose body Next.js would fail to decode with a 500 (not JSON, a
// multipart body without its boundary, more arguments or bytes than Next allows) are answered
// here with a 4xx instead. The limits are Next.js's own defaults, so nothing valid is refused.
import type { NextRequest, NextResponse } from 'next/server';
import { plainRefusal } from './refusal';

/** Next.js's serverActions.bodySizeLimit default ("1mb"); raise both together (next.config.js). */
const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
/** Next.js refuses longer argument lists. */
const MAX_ACTION_ARGUMENTS = 1000;

function isArgumentList(text: string) {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.length <= MAX_ACTION_ARGUMENTS;
  } catch {
    return false;
  }
}

/** A 400 or 413 for a server-action request Next.js could not decode, or null to let it through. */
export async function refuseMalformedAction(request: NextRequest): Promise<NextResponse | null> {
  if (request.method !== 'POST' || !request.headers.has('next-action')) return null;
  const declaredBytes = Number(request.headers.get('content-length') ?? 0);
  if (declaredBytes > ACTION_BODY_LIMIT_BYTES) return plainRefusal(413, 'Server action body too large.');
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  let body: string | FormData;
  try {
    body = type.startsWith('multipart/form-data') ? await request.clone().formData() : await request.clone().text();
  } catch {
    return plainRefusal(400, 'Malformed server action body.');
  }
  if (typeof body === 'string') {
    if (Buffer.byteLength(body) > ACTION_BODY_LIMIT_BYTES) return plainRefusal(413, 'Server action body too large.');
    // Next.js sends the arguments as a JSON array in a text/plain body when no file is attached.
    return type.startsWith('text/plain') && isArgumentList(body) ? null : plainRefusal(400, 'Malformed server action body.');
  }
  // In a multipart body the argument list, when present, is the field named "0".
  const args = body.get('0');
  if (typeof args === 'string' && !isArgumentList(args)) return plainRefusal(400, 'Malformed server action body.');
  return null;
}
