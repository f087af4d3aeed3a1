import 'server-only';
// A throttled form submission answers HTTP 429 (or 503 when the server has no room for the
// password work) with Retry-After, while the form shows the message beside the field: server.mjs
// sets the status (an action's result otherwise comes with 200).
import { headers } from 'next/headers';
import { setResponseStatus } from '@/lib/front-server';
import type { Throttled } from '@/lib/session/hardening/throttle';

export async function answerThrottled(throttled: Throttled) {
  setResponseStatus(await headers(), throttled.status, throttled.retryAfterSeconds);
  return throttled.message;
}
