import { useCallback } from 'react';
import { useLocation } from 'react-router-dom';

/** Where the entity page mounts the runner's tabs (both frontend systems). */
export const RUNNER_TAB_PATH = 'runner';
export const GATEWAY_TAB_PATH = 'gateway';

/**
 * Links to another tab of the same entity page: the current path with its
 * last segment (this tab's own path; the runner's tabs have no sub-routes)
 * replaced. The path is absolute, so neither frontend system has to resolve
 * a relative target against its route tree. It assumes the tabs are
 * mounted at their default paths (`runner`, `gateway`, `alerts`), as the
 * plugin's extensions and the README's legacy EntityPage do.
 */
export function useTabLink(): (
  tab: string,
  query?: Record<string, string>,
) => string {
  const { pathname } = useLocation();
  return useCallback(
    (tab, query) => {
      const base = pathname.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
      const search = query ? `?${new URLSearchParams(query)}` : '';
      return `${base}/${encodeURIComponent(tab)}${search}`;
    },
    [pathname],
  );
}
