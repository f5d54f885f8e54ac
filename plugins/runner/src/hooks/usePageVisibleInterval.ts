import useInterval from 'react-use/esm/useInterval';

/** The slowest refresh allowed anywhere in the tabs (issue "Entity tabs", item 5). */
export const MIN_REFRESH_MS = 10_000;

/**
 * Calls `callback` every `delayMs` (never under {@link MIN_REFRESH_MS})
 * while `delayMs` is set, skipping ticks while the browser tab is hidden: a
 * hidden page needs no fresh data, and the next tick after it is shown
 * again catches up.
 */
export function usePageVisibleInterval(
  callback: () => void,
  delayMs: number | null,
): void {
  useInterval(
    () => {
      if (document.visibilityState !== 'hidden') callback();
    },
    delayMs === null ? null : Math.max(MIN_REFRESH_MS, delayMs),
  );
}
