import { useCallback, useEffect, useRef } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type { GatewayBundleList } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import type { LiveMode } from './useLiveInstances';
import { useEntitySignal } from './useEntitySignal';
import { usePageVisibleInterval } from './usePageVisibleInterval';

/** The backend's signals channel for gateway status (`{ entityRef, summary }`). */
export const GATEWAY_SIGNAL_CHANNEL = 'runner-gateway';

/** Without signals, the lists are polled this often. */
export const GATEWAY_POLL_INTERVAL_MS = 15_000;

export interface LiveGatewayBundles {
  loading: boolean;
  error?: Error;
  value?: { routes: GatewayBundleList; providers: GatewayBundleList };
  refresh: () => void;
  mode: LiveMode;
}

/**
 * The entity's routes and providers with their status, reloaded on every
 * `runner-gateway` message about the entity (a controller changed a
 * condition, or a bundle was written), or polled when the app has no signals.
 */
export function useLiveGatewayBundles(entityRef: string): LiveGatewayBundles {
  const runnerApi = useApi(runnerApiRef);
  const [state, load] = useAsyncFn(async () => {
    const [routes, providers] = await Promise.all([
      runnerApi.listGatewayBundles(entityRef, 'route'),
      runnerApi.listGatewayBundles(entityRef, 'provider'),
    ]);
    return { routes, providers };
  }, [runnerApi, entityRef]);
  const refresh = useCallback(() => {
    load().catch(() => undefined);
  }, [load]);
  useEffect(refresh, [refresh]);

  const signals = useEntitySignal(GATEWAY_SIGNAL_CHANNEL, entityRef, refresh);
  usePageVisibleInterval(refresh, signals ? null : GATEWAY_POLL_INTERVAL_MS);

  // A failed refresh keeps the last lists on screen.
  const last = useRef<LiveGatewayBundles['value']>();
  if (state.value) last.current = state.value;
  return {
    loading: state.loading,
    error: state.error,
    value: state.value ?? last.current,
    refresh,
    mode: signals ? 'signals' : 'polling',
  };
}
