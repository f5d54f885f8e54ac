import { useCallback, useEffect, useRef } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  InstanceMetrics,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import {
  refreshIntervalMs,
  type MetricsRange,
} from '../lib/metricsData';
import { isTransitional } from '../lib/instanceStates';
import { usePageVisibleInterval } from './usePageVisibleInterval';

export interface InstanceMetricsState {
  loading: boolean;
  error?: Error;
  /** The last answer for this instance and range; kept while a refresh runs. */
  value?: InstanceMetrics;
  refresh: () => void;
  /** Whether the charts refresh by themselves (the instance runs). */
  live: boolean;
}

/**
 * The metrics of one instance over the last `range`, reloaded when the range
 * or the instance's state changes, and every {@link refreshIntervalMs} while
 * the instance runs or is on its way to running (samples only come from a
 * running container, so a stopped one's history does not change).
 */
export function useInstanceMetrics(
  instance: RunnerInstance,
  range: MetricsRange,
): InstanceMetricsState {
  const runnerApi = useApi(runnerApiRef);
  const { id, state } = instance;
  const key = `${id}:${range.key}`;
  const [result, load] = useAsyncFn(async () => {
    // The window ends now, each time: a refresh moves it along.
    const to = new Date();
    const from = new Date(to.getTime() - range.ms);
    const metrics = await runnerApi.getInstanceMetrics(id, {
      from,
      to,
      step: range.step,
    });
    // Tagged, because useAsyncFn keeps the previous answer while the next
    // loads, and that may belong to another range.
    return { key, metrics };
  }, [runnerApi, id, range, key]);
  const refresh = useCallback(() => {
    load().catch(() => undefined);
  }, [load]);

  // `state` is a dependency so that a start or stop reloads at once.
  useEffect(refresh, [refresh, state]);

  // Keep the last answer of this instance and range on screen while the
  // next loads or if it fails; a different range or instance starts empty.
  const last = useRef<{ key: string; metrics: InstanceMetrics }>();
  if (result.value?.key === key) last.current = result.value;
  const value = last.current?.key === key ? last.current.metrics : undefined;

  const live = state === 'running' || isTransitional(state);
  usePageVisibleInterval(refresh, live ? refreshIntervalMs(range) : null);

  return { loading: result.loading, error: result.error, value, refresh, live };
}
