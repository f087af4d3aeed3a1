import 'server-only';
// A server action's FormData, checked. Next decodes any JSON array in a same-origin post into the
// action's arguments, so an action written for a form can be called with [] or [null, 1]; this
// turns that into a 400 and a message instead of a TypeError and a 500.
import { headers } from 'next/headers';
import { setResponseStatus } from '@/lib/front-server';

export const NOT_A_FORM = 'This request did not come from the form. Reload the page and try again.';

/** The form, or null after asking for a 400 (server.mjs; under plain `next start` the status stays 200). */
export async function formOf(value: unknown): Promise<FormData | null> {
  if (value instanceof FormData) return value;
  setResponseStatus(await headers(), 400);
  return null;
}
