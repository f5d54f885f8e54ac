import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ALERTS_SIGNAL_CHANNEL,
  type ErrorCategory,
  type ErrorCode,
  type ErrorEvent,
  type ErrorSeverity,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import { ALERTS_POLL_INTERVAL_MS } from './useLiveAlerts';
import { RUNNER_INSTANCES_CHANNEL, type LiveMode } from './useLiveInstances';
import { useEntitySignal } from './useEntitySignal';
import { usePageVisibleInterval } from './usePageVisibleInterval';

/** Errors per page; "Load more" fetches the next page. */
export const ERROR_PAGE_SIZE = 25;

export interface ErrorFilters {
  category?: ErrorCategory;
  severity?: ErrorSeverity;
  code?: ErrorCode;
}

export interface ErrorHistory {
  /** Newest first, every page loaded so far. */
  items: ErrorEvent[];
  /** Whether the first page has arrived (an empty list is then really empty). */
  loaded: boolean;
  loading: boolean;
  /** The first page failed. */
  error?: Error;
  hasMore: boolean;
  loadingMore: boolean;
  moreError?: Error;
  /** A refresh after new errors failed; the list shown is the last one. */
  refreshError?: Error;
  loadMore: () => void;
  refresh: () => void;
  mode: LiveMode;
}

interface State {
  items: ErrorEvent[];
  nextCursor?: string;
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  error?: Error;
  moreError?: Error;
  refreshError?: Error;
}

const INITIAL: State = {
  items: [],
  loaded: false,
  loading: true,
  loadingMore: false,
};

/** Newest page on top of what is loaded, unless it leaves a hole. */
function mergeNewest(
  state: State,
  page: { items: ErrorEvent[]; nextCursor?: string },
): State {
  const known = new Set(state.items.map(i => i.id));
  const fresh = page.items.filter(i => !known.has(i.id));
  if (fresh.length === 0) return { ...state, refreshError: undefined };
  // A whole page of new errors with more behind it: the errors between it
  // and the loaded ones are unknown, so start over from this page.
  if (fresh.length === page.items.length && page.nextCursor) {
    return { ...INITIAL, loading: false, loaded: true, ...page };
  }
  return { ...state, items: [...fresh, ...state.items], refreshError: undefined };
}

/**
 * The entity's categorized error history, a page at a time, with filters.
 * Changing a filter starts again from the newest page. Errors have no
 * channel of their own; they follow instance failures and alerts, so a
 * message on `runner-instances` or `runner-alerts` for the entity fetches
 * the newest page and adds what is new on top, keeping the pages already
 * loaded. Without signals the newest page is polled.
 */
export function useErrorHistory(
  entityRef: string,
  filters: ErrorFilters,
): ErrorHistory {
  const runnerApi = useApi(runnerApiRef);
  const [state, setState] = useState<State>(INITIAL);
  // Answers to requests made before the filters changed are dropped.
  const generation = useRef(0);
  const current = useRef(state);
  current.current = state;

  const { category, severity, code } = filters;
  const query = useMemo(
    () => ({ entityRef, category, severity, code, limit: ERROR_PAGE_SIZE }),
    [entityRef, category, severity, code],
  );

  const loadFirst = useCallback(async () => {
    const gen = ++generation.current;
    setState(INITIAL);
    try {
      const page = await runnerApi.listErrors(query);
      if (gen !== generation.current) return;
      setState({ ...INITIAL, loading: false, loaded: true, ...page });
    } catch (e) {
      if (gen !== generation.current) return;
      setState({ ...INITIAL, loading: false, error: e as Error });
    }
  }, [runnerApi, query]);

  useEffect(() => {
    loadFirst();
  }, [loadFirst]);

  const loadMore = useCallback(async () => {
    const { nextCursor, loadingMore } = current.current;
    if (!nextCursor || loadingMore) return;
    const gen = generation.current;
    setState(s => ({ ...s, loadingMore: true, moreError: undefined }));
    try {
      const page = await runnerApi.listErrors({ ...query, cursor: nextCursor });
      if (gen !== generation.current) return;
      setState(s => {
        const known = new Set(s.items.map(i => i.id));
        return {
          ...s,
          items: [...s.items, ...page.items.filter(i => !known.has(i.id))],
          nextCursor: page.nextCursor,
          loadingMore: false,
        };
      });
    } catch (e) {
      if (gen !== generation.current) return;
      setState(s => ({ ...s, loadingMore: false, moreError: e as Error }));
    }
  }, [runnerApi, query]);

  const refresh = useCallback(async () => {
    // Until a first page is there, a refresh is a retry of it.
    if (!current.current.loaded) {
      if (!current.current.loading) await loadFirst();
      return;
    }
    const gen = generation.current;
    try {
      const page = await runnerApi.listErrors(query);
      if (gen !== generation.current) return;
      setState(s => mergeNewest(s, page));
    } catch (e) {
      if (gen !== generation.current) return;
      setState(s => ({ ...s, refreshError: e as Error }));
    }
  }, [runnerApi, query, loadFirst]);

  const onSignal = useCallback(() => {
    refresh();
  }, [refresh]);
  const alertSignals = useEntitySignal(
    ALERTS_SIGNAL_CHANNEL,
    entityRef,
    onSignal,
  );
  const instanceSignals = useEntitySignal(
    RUNNER_INSTANCES_CHANNEL,
    entityRef,
    onSignal,
  );
  const signals = alertSignals || instanceSignals;
  usePageVisibleInterval(onSignal, signals ? null : ALERTS_POLL_INTERVAL_MS);

  return {
    items: state.items,
    loaded: state.loaded,
    loading: state.loading,
    error: state.error,
    hasMore: Boolean(state.nextCursor),
    loadingMore: state.loadingMore,
    moreError: state.moreError,
    refreshError: state.refreshError,
    loadMore: () => {
      loadMore();
    },
    refresh: onSignal,
    mode: signals ? 'signals' : 'polling',
  };
}
