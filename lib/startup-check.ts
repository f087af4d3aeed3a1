// Imported once at server start (instrumentation.ts): a bad environment stops the process
// before it serves a single request, rather than failing on the first login.
import { getEnv } from '@/lib/env';
import { checkSettings } from '@/lib/session/10-sessions';

try {
  checkSettings();
  getEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
