// A hook for whatever wants to watch the session work of each request: the lab measures it (time,
// statements, Server-Timing); an app might trace or log it. The reference calls through it and
// knows nothing of who listens. One observer at a time, registered at start-up.
import { processSingleton } from '@/lib/process-state';
import type { SessionMode } from './modes';
import type { VerifyResult } from './types';

export type SessionObserver = {
  /** Wraps each request's session check; must call run() once and return its result. */
  check?: (run: () => Promise<VerifyResult>, request: { headers: Headers }) => Promise<VerifyResult>;
  /** Wraps each "last active" write scheduled after a stateful response. */
  activityWrite?: (mode: SessionMode, run: () => Promise<void>) => Promise<void>;
};

// On globalThis: start-up code (instrumentation.ts) and the request handlers are bundled apart.
const state = processSingleton('session-observer', () => ({ observer: {} as SessionObserver }));

/** Registers the observer (replacing any earlier one). */
export function onSessionCheck(observer: SessionObserver) {
  state.observer = observer;
}

export function observeCheck(run: () => Promise<VerifyResult>, request: { headers: Headers }) {
  return state.observer.check ? state.observer.check(run, request) : run();
}

export function observeActivityWrite(mode: SessionMode, run: () => Promise<void>) {
  return state.observer.activityWrite ? state.observer.activityWrite(mode, run) : run();
}
