import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The query parameter that names the selected instance: `?instance=<id>`. */
export const INSTANCE_QUERY_PARAM = 'instance';

/**
 * The selected instance id, kept in the URL so that a link (from an alert,
 * a notification, a colleague) opens the Runner tab on that instance, and
 * reloading the page keeps the selection. Selecting replaces the history
 * entry: clicking through instances should not fill the back button.
 */
export function useInstanceQueryParam(): [
  string | undefined,
  (id: string) => void,
] {
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get(INSTANCE_QUERY_PARAM) ?? undefined;
  const select = useCallback(
    (id: string) => {
      setSearchParams(
        previous => {
          // Other parameters of the page stay as they are.
          const next = new URLSearchParams(previous);
          next.set(INSTANCE_QUERY_PARAM, id);
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );
  return [selectedId, select];
}
