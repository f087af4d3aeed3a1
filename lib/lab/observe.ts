// The lab's tracer of the session work: registered once at start-up (instrumentation.ts), it
// times every session check, counts the statements it sent at the driver adapter, feeds the
// rolling metrics, files the Server-Timing header, and counts the "last active" writes, and logs refused cookies. The
// session code knows none of this: it only calls the tracer it was given.
import { countQueries } from '@/lib/db/query-counter';
import { processSingleton } from '@/lib/process-state';
import { traceSessions } from '@/lib/session/11-dal';
import type { Session } from '@/lib/session/05-session';
import { recordHousekeepingQueries, recordSessionCheck, type CheckSample } from './metrics';
import { readFrontHeaders } from '@/lib/front-server';
import { fileServerTiming, formatServerTiming } from './server-timing';
import { logRejection } from './rejection-log';

// Keyed by the session object the check returned, which pages and handlers pass around.
const measured = processSingleton('check-measurements', () => new WeakMap<Session, CheckSample>());

/** This request's check as the lab measured it, or null when no observer ran (unit tests). */
export function getCheckMeasurement(session: Session): CheckSample | null {
  return measured.get(session) ?? null;
}

export function startObservingSessions() {
  traceSessions({
    async check(run, request) {
      // No session cookie: nothing to measure, and a visitor without one should not pay for the measuring.
      if (!request.present) return run();
      const started = performance.now();
      const { result, queries, dbMicros } = await countQueries(run);
      const micros = Math.round((performance.now() - started) * 1000);
      if (result.ok) {
        const { mode } = result.session;
        recordSessionCheck(mode, { micros, queries });
        measured.set(result.session, { micros, queries });
        fileServerTiming(
          readFrontHeaders(request.headers)?.requestId,
          formatServerTiming([
            { name: 'session', micros, desc: mode },
            { name: 'db', micros: dbMicros, desc: `${queries} ${queries === 1 ? 'query' : 'queries'}` },
          ]),
        );
      } else {
        logRejection(result.reason);
      }
      return result;
    },
    async activity(mode, run) {
      const { result, queries } = await countQueries(run);
      recordHousekeepingQueries(mode, queries);
      return result;
    },
  });
}
