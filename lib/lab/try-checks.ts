import 'server-only';
// The live checks of the "Try it" experiments: what this server itself can see of each step,
// read from the session rows, the lab's thief, the stored drill and bench runs, and this very
// request's check. Each says what it saw and when; "done" means the server saw the step happen.
import { getEnv } from '@/lib/env';
import { describeOutageTally, getLatestCliBench } from '@/lib/lab/comparison';
import { getSessionCheckStats, MIN_SAMPLES } from '@/lib/lab/metrics';
import { getCheckMeasurement } from '@/lib/lab/observe';
import type { DrillResult } from '@/lib/lab/outage-drill';
import { getLatestRun } from '@/lib/lab/runs';
import { httpRunCost, type HttpRunResult } from '@/lib/lab/http-run';
import { getTheft, PROBES, type Probe, type Theft, type Try } from '@/lib/lab/stolen-cookie';
import { formatMicros, wholeRequestCost } from '@/lib/lab/bench-report';
import { getSessionRows } from '@/lib/session/04-store';
import type { Session } from '@/lib/session/05-session';
import { SESSION_MODES, type SessionMode } from '@/lib/view/modes';
import { describeUserAgent } from '@/lib/view/user-agent';
import { endedBy } from '@/lib/view/lab-verdict';

export type LiveCheck = { key: string; done: boolean; text: string };

const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/** Until when a signed-out session's token still reads, in its mode. */
function readsUntilMs(mode: SessionMode, revokedAtMs: number, expiresAtMs: number) {
  const { HYBRID_ACCESS_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } = getEnv();
  if (mode === 'stateful') return null;
  const end = mode === 'hybrid' ? Math.min(revokedAtMs + HYBRID_ACCESS_TTL_SECONDS * 1000, expiresAtMs) : expiresAtMs;
  return end + CLOCK_TOLERANCE_SECONDS * 1000;
}

/** Experiment 1: another browser of the same user signs in, and this one signs it out. */
export async function secondDeviceChecks(session: Session): Promise<LiveCheck[]> {
  const now = new Date();
  // The latest rows of the other browsers: a live one, or the one this browser signed out.
  const where = { expiresAt: { gt: now }, tokenHash: { not: session.tokenHash }, ...(session.deviceId && { deviceId: { not: session.deviceId } }) };
  const { sessions: others } = await getSessionRows(session.user.id, where);
  const signedIn = others.find((row) => !row.revokedAt);
  const signedOut = others
    .filter((row) => row.revokedAt && row.revokedReason === 'signed-out-by-other-device')
    .sort((a, b) => b.revokedAt!.getTime() - a.revokedAt!.getTime())[0];
  const seen = signedIn ?? signedOut;
  const checks: LiveCheck[] = [
    {
      key: 'second-signed-in',
      done: !!seen,
      text: seen
        ? `A second device of yours ${seen === signedIn ? 'is signed in' : 'signed in'}: ${describeUserAgent(seen.userAgent).label}, ${seen.mode}, since ${clock((seen.authenticatedAt ?? seen.createdAt).getTime())}.`
        : 'No second device of yours is signed in yet.',
    },
  ];
  if (!signedOut) return [...checks, { key: 'second-signed-out', done: false, text: 'You have not signed a device out yet.' }];
  const until = readsUntilMs(signedOut.mode as SessionMode, signedOut.revokedAt!.getTime(), signedOut.expiresAt.getTime());
  return [
    ...checks,
    {
      key: 'second-signed-out',
      done: true,
      text:
        `You signed a ${signedOut.mode} device out at ${clock(signedOut.revokedAt!.getTime())}. ` +
        (until === null
          ? 'Its next request is refused: the server reads its row on every request.'
          : `Its token still reads until ${clock(until)} (no read of it asks the database), but any change it tries is refused now.`),
    },
  ];
}

function describeTry(attempt: Try | null, what: string) {
  if (!attempt) return `The thief has not tried to ${what} yet.`;
  if (attempt.status === 200) return `The thief could ${what} (HTTP 200 at ${clock(attempt.atMs)}).`;
  const cause = endedBy(attempt.reason) === 'expired' ? 'expired, not revoked' : `revoked (${attempt.reason ?? `HTTP ${attempt.status}`})`;
  return `The thief's attempt to ${what} was refused: ${cause}, HTTP ${attempt.status} at ${clock(attempt.atMs)}.`;
}

const PROBE_WORDS: Record<Probe, string> = { read: 'read your data', act: 'act as you', refresh: 'refresh your session' };

/** Experiment 2: the lab copies this browser's cookies and replays them; the owner signs the session out. */
export function stolenCookieChecks(userId: string): { theft: Theft | null; checks: LiveCheck[] } {
  const theft = getTheft(userId);
  if (!theft) return { theft, checks: [{ key: 'stolen', done: false, text: 'The lab has not copied a session of yours yet.' }] };
  const { last, firstRefusedAfterSignOut: refused, lastAcceptedAfterSignOut: accepted, signedOutAtMs } = theft;
  const checks: LiveCheck[] = [
    { key: 'stolen', done: true, text: `The lab copied your ${theft.mode} session at ${clock(theft.stolenAtMs)} and has sent it ${theft.tries} times.` },
    ...(theft.error ? [{ key: 'thief-failed', done: false, text: `The lab's thief stopped on an error: ${theft.error}.` }] : []),
  ];
  if (signedOutAtMs === null) {
    checks.push(
      { key: 'thief-reads', done: last.read?.status === 200, text: describeTry(last.read, PROBE_WORDS.read) },
      { key: 'thief-acts', done: last.act?.status === 200, text: describeTry(last.act, PROBE_WORDS.act) },
      { key: 'signed-out', done: false, text: 'You have not signed that session out yet.' },
    );
    return { theft, checks };
  }
  const after = (attempt: Try) => ` ${Math.max(0, attempt.atMs - signedOutAtMs).toLocaleString('en')} ms after your sign-out.`;
  const stopped = theft.done ? ` The lab stopped trying at ${clock(last.read?.atMs ?? Date.now())}.` : '';
  checks.push({ key: 'signed-out', done: true, text: `You signed that session out at ${clock(signedOutAtMs)}.` });
  for (const probe of PROBES.filter((probe) => probe !== 'refresh' || theft.mode === 'hybrid')) {
    const first = refused[probe];
    const stillIn = accepted[probe];
    const key = `thief-${probe}-after`;
    if (first) checks.push({ key, done: true, text: `${describeTry(first, PROBE_WORDS[probe])}${after(first)}` });
    else if (stillIn) {
      const until = probe === 'read' ? ` Its copy reads until the token's exp, ${clock(theft.tokenExpiresAtMs)}.` : '';
      checks.push({
        key,
        done: true,
        text: `After your sign-out the thief could still ${PROBE_WORDS[probe]} (HTTP 200 at ${clock(stillIn.atMs)}).${until}${stopped}`,
      });
    } else checks.push({ key, done: false, text: `Waiting for the thief's next attempt to ${PROBE_WORDS[probe]}…` });
  }
  return { theft, checks };
}

/** Experiment 3: what this browser's token carries now. */
export function tokenChecks(session: Session, cookieBytes: number): LiveCheck[] {
  const { header, payload } = session.token;
  const who = ['name', 'role'].filter((claim) => claim in payload);
  return [
    {
      key: 'token-mode',
      done: true,
      text: `Your browser holds a ${session.mode} token: ${String(header.alg)}${header.kid ? ` with kid ${String(header.kid).slice(0, 8)}…` : ''}, ${cookieBytes.toLocaleString('en')} bytes as a cookie, ${who.length ? `carrying your ${who.join(' and ')}` : 'carrying no name or role, only a session id'}.`,
    },
  ];
}

/** Experiment 4: the latest outage drill, read-only for every signed-in user. */
export async function outageChecks(): Promise<LiveCheck[]> {
  const drill = await getLatestRun<DrillResult>('outage');
  if (!drill) return [{ key: 'drill', done: false, text: 'No outage drill has run on this server yet.' }];
  const during = drill.result.tallies.during;
  return [
    {
      key: 'drill',
      done: true,
      text:
        `The latest drill, at ${clock(drill.createdAt.getTime())}${drill.result.simulated ? ' (simulated in one process)' : ''}: during the outage ` +
        SESSION_MODES.map((mode) => `${mode} ${describeOutageTally(during[mode])}`).join('; ') +
        '.',
    },
  ];
}

/** Experiment 5: this page's own check, beside its mode's median and a whole request's cost. */
export async function costChecks(session: Session): Promise<LiveCheck[]> {
  const sample = getCheckMeasurement(session);
  const stats = getSessionCheckStats()[session.mode];
  const median = stats.enough
    ? `this mode's median over the last ${stats.count.toLocaleString('en')} checks is ${formatMicros(stats.p50)} (middle half ${formatMicros(stats.p25)}–${formatMicros(stats.p75)})`
    : `one sample means little: this mode has ${stats.count} of the ${MIN_SAMPLES} checks a median needs`;
  const [bench, httpRun] = await Promise.all([getLatestCliBench(), getLatestRun<HttpRunResult>('http-run')]);
  const measured = bench?.result.databases[0];
  const fromBench = measured && { cost: wholeRequestCost(measured), source: `npm run bench, ${bench!.result.createdAt.slice(0, 16).replace('T', ' ')} UTC` };
  const fromPage = httpRun && { cost: httpRunCost(httpRun.result), source: `the short run on Compare, ${clock(httpRun.createdAt.getTime())}` };
  const whole = fromBench || fromPage || null;
  const mine = whole?.cost.modes.find(({ mode }) => mode === session.mode);
  return [
    {
      key: 'check-cost',
      done: !!sample,
      text: sample
        ? `This page's session check took ${formatMicros(sample.micros)} with ${sample.queries} ${sample.queries === 1 ? 'query' : 'queries'}; ${median}.`
        : 'This page was rendered without the lab measuring its check.',
    },
    {
      key: 'request-cost',
      done: !!mine,
      text:
        whole && mine
          ? `A whole anonymous request costs about ${formatMicros(whole.cost.anonymousMicros)} of the server; signed in (${session.mode}) it keeps ${Math.round(mine.ratio.median * 100)}% of the anonymous rate (${whole.source}).`
          : 'No whole-request run is stored yet: measure one on Compare (about ten seconds), or run npm run bench from a terminal.',
    },
  ];
}
