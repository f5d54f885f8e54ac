import { useCallback, useEffect, useRef } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  InstanceHealth,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import { isTransitional } from '../lib/instanceStates';
import { usePageVisibleInterval } from './usePageVisibleInterval';

/**
 * Every read of the health route probes the container and stores a check,
 * so this is slower than the metrics: often enough to see a container turn
 * unhealthy within a minute, rarely enough not to flood the check history.
 */
export const HEALTH_REFRESH_MS = 30_000;

export interface InstanceHealthState {
  loading: boolean;
  error?: Error;
  value?: InstanceHealth;
  refresh: () => void;
}

/**
 * The health of one instance, read when its state changes and every
 * {@link HEALTH_REFRESH_MS} while it runs or is on its way.
 */
export function useInstanceHealth(
  instance: RunnerInstance,
): InstanceHealthState {
  const runnerApi = useApi(runnerApiRef);
  const { id, state } = instance;
  const [result, load] = useAsyncFn(
    () => runnerApi.getInstanceHealth(id),
    [runnerApi, id],
  );
  const refresh = useCallback(() => {
    load().catch(() => undefined);
  }, [load]);
  useEffect(refresh, [refresh, state]);

  // A failed refresh keeps the last answer (with a warning), not a blank card.
  const last = useRef<InstanceHealth>();
  if (result.value) last.current = result.value;
  const value =
    last.current?.instanceId === id ? result.value ?? last.current : undefined;

  const active = state === 'running' || isTransitional(state);
  usePageVisibleInterval(refresh, active ? HEALTH_REFRESH_MS : null);

  return { loading: result.loading, error: result.error, value, refresh };
}
