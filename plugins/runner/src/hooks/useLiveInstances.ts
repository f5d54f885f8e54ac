import { useCallback, useEffect, useRef } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useInterval from 'react-use/esm/useInterval';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import { isTransitional, newestFirst } from '../lib/instanceStates';

/** The signals channel on which the backend announces every state change. */
export const RUNNER_INSTANCES_CHANNEL = 'runner-instances';

/** Never poll faster than this (issue "Entity tabs", item 5). */
export const POLL_INTERVAL_MS = 10_000;

/** How the list stays current, for a caption a user can trust. */
export type LiveMode = 'signals' | 'polling';

export interface LiveInstances {
  loading: boolean;
  error?: Error;
  /** Newest first. Kept while a refresh is in flight, so the table does not flicker. */
  value?: RunnerInstance[];
  refresh: () => void;
  mode: LiveMode;
}

/**
 * The entity's instances, kept current.
 *
 * With signals, a message on {@link RUNNER_INSTANCES_CHANNEL} for this
 * entity reloads the list; the backend sends one after every state change.
 * Without signals (no signals plugin in the app) the list is polled every
 * {@link POLL_INTERVAL_MS}. Either way, while an instance is in a state it
 * leaves by itself, the list is also polled at that rate, so a message lost
 * during a reconnect cannot leave a build shown as running forever.
 */
export function useLiveInstances(entityRef: string): LiveInstances {
  const runnerApi = useApi(runnerApiRef);
  // useAsyncFn rather than useAsyncRetry: a signal arriving while a load is
  // in flight must start a new load (the newest wins), not be dropped.
  const [state, load] = useAsyncFn(
    async () => newestFirst(await runnerApi.listInstances(entityRef)),
    [runnerApi, entityRef],
  );
  const refresh = useCallback(() => {
    // Errors land in state.error; the returned promise is not needed.
    load().catch(() => undefined);
  }, [load]);

  useEffect(refresh, [refresh]);

  const { lastSignal, isSignalsAvailable } = useSignal(
    RUNNER_INSTANCES_CHANNEL,
  );
  useEffect(() => {
    const ref = lastSignal?.entityRef;
    // Refs from the backend have a lower-case kind; compare case-insensitively
    // so a differently spelled kind on either side still matches.
    if (
      typeof ref === 'string' &&
      ref.toLocaleLowerCase('en-US') === entityRef.toLocaleLowerCase('en-US')
    ) {
      refresh();
    }
  }, [lastSignal, entityRef, refresh]);

  // useAsyncFn drops the value when a call fails; a failed refresh should
  // leave the last list on screen (with a warning), not blank the table.
  const lastValue = useRef<RunnerInstance[]>();
  if (state.value) lastValue.current = state.value;
  const value = state.value ?? lastValue.current;

  const busy = (value ?? []).some(i => isTransitional(i.state));
  const poll = !isSignalsAvailable || busy;
  useInterval(
    () => {
      // A hidden tab needs no fresh list; the next tick after it is shown
      // again catches up.
      if (document.visibilityState !== 'hidden') refresh();
    },
    poll ? POLL_INTERVAL_MS : null,
  );

  return {
    loading: state.loading,
    error: state.error,
    value,
    refresh,
    mode: isSignalsAvailable ? 'signals' : 'polling',
  };
}
