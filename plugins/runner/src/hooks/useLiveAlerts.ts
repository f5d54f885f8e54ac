import { useCallback, useEffect, useRef } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  ALERTS_SIGNAL_CHANNEL,
  type Alert,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import type { LiveMode } from './useLiveInstances';
import { useEntitySignal } from './useEntitySignal';
import { usePageVisibleInterval } from './usePageVisibleInterval';

/**
 * Without signals the alerts are polled this often. Alerts open after a
 * condition held for minutes, so half a minute late is still in time.
 */
export const ALERTS_POLL_INTERVAL_MS = 30_000;

/**
 * Active and resolved alerts come in one request (`state=all`, open ones
 * first) so that both tabs can show their counts; this many covers every
 * open alert of an entity and its recent history.
 */
export const ALERTS_LIMIT = 200;

export interface LiveAlerts {
  loading: boolean;
  error?: Error;
  value?: { open: Alert[]; resolved: Alert[] };
  refresh: () => void;
  mode: LiveMode;
}

/**
 * The entity's alerts, split into open and resolved, reloaded on every
 * message on `runner-alerts` for the entity (opened, updated, acknowledged,
 * resolved), or polled when the app has no signals.
 */
export function useLiveAlerts(entityRef: string): LiveAlerts {
  const runnerApi = useApi(runnerApiRef);
  const [state, load] = useAsyncFn(async () => {
    const all = await runnerApi.listAlerts({
      entityRef,
      state: 'all',
      limit: ALERTS_LIMIT,
    });
    return {
      open: all.filter(a => a.state === 'open'),
      resolved: all.filter(a => a.state !== 'open'),
    };
  }, [runnerApi, entityRef]);
  const refresh = useCallback(() => {
    load().catch(() => undefined);
  }, [load]);
  useEffect(refresh, [refresh]);

  const signals = useEntitySignal(ALERTS_SIGNAL_CHANNEL, entityRef, refresh);
  usePageVisibleInterval(refresh, signals ? null : ALERTS_POLL_INTERVAL_MS);

  // A failed refresh keeps the last lists on screen, with a warning.
  const last = useRef<LiveAlerts['value']>();
  if (state.value) last.current = state.value;

  return {
    loading: state.loading,
    error: state.error,
    value: state.value ?? last.current,
    refresh,
    mode: signals ? 'signals' : 'polling',
  };
}
