'use client';
// Where keyboard focus goes once an action has answered. A button that is replaced or removed by
// the answer (the mode switch, a device's "Sign out") would leave focus on <body>, and a keyboard
// user would start again from the top of the page; the element this ref is given takes it instead.
import { useEffect, useRef } from 'react';

/**
 * Focuses the ref's element each time `answer` changes to something (an action's new state), and
 * again when `element` changes (the ref moved to another element that the same answer brought).
 */
export function useFocusAfter<T extends HTMLElement>(answer: unknown, element?: string) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (answer) ref.current?.focus();
  }, [answer, element]);
  return ref;
}
