// The lab's side of the session observer: subscribed once at start-up (instrumentation.ts), it
// times every session check, counts the statements it sent at the driver adapter, feeds the
// rolling metrics, files the Server-Timing header, and counts the "last active" writes. The
// session reference knows none of this.
import { countQueries } from '@/lib/db/query-counter';
import { processSingleton } from '@/lib/process-state';
import { onSessionCheck } from '@/lib/session/observer';
import type { Session } from '@/lib/session/types';
import { recordHousekeepingQueries, recordSessionCheck, type CheckSample } from './metrics';
import { readFrontHeaders } from '@/lib/front-server';
import { fileServerTiming, formatServerTiming } from './server-timing';

// Keyed by the session object the check returned, which pages and handlers pass around.
const measured = processSingleton('check-measurements', () => new WeakMap<Session, CheckSample>());

/** This request's check as the lab measured it, or null when no observer ran (unit tests). */
export function getCheckMeasurement(session: Session): CheckSample | null {
  return measured.get(session) ?? null;
}

export function startObservingSessions() {
  onSessionCheck({
    async check(run, request) {
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
      }
      return result;
    },
    async activityWrite(mode, run) {
      const { queries } = await countQueries(run);
      recordHousekeepingQueries(mode, queries);
    },
  });
}
