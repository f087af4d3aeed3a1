import 'server-only';
// A throttled form submission answers HTTP 429 with Retry-After, while the form shows the
// message beside the field: server.mjs sets the status (an action's result otherwise comes with 200).
import { headers } from 'next/headers';
import { setResponseStatus } from '@/lib/front-server';
import type { Throttled } from '@/lib/session/throttle';

export async function answerThrottled(throttled: Throttled) {
  setResponseStatus(await headers(), 429, throttled.retryAfterSeconds);
  return throttled.message;
}
