import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';

/** Refs from the backend have a lower-case kind; compare without case. */
export function sameEntityRef(a: unknown, b: string): boolean {
  return (
    typeof a === 'string' &&
    a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}

/**
 * Calls `onMessage` for every message on `channel` about `entityRef` (the
 * runner's channels are broadcast and carry `{ entityRef, … }`). Returns
 * whether signals are available at all, so callers can fall back to polling.
 */
export function useEntitySignal(
  channel: string,
  entityRef: string,
  onMessage: () => void,
): boolean {
  const { lastSignal, isSignalsAvailable } = useSignal(channel);
  // A ref, so that a new callback identity does not replay the last message.
  const callback = useRef(onMessage);
  callback.current = onMessage;
  useEffect(() => {
    if (sameEntityRef(lastSignal?.entityRef, entityRef)) callback.current();
  }, [lastSignal, entityRef]);
  return isSignalsAvailable;
}
