import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { runnerApiRef } from '../api';

/**
 * The runner backend's health report, with loading and error state and a
 * `retry` so that a user who has just started Docker can check again without
 * reloading the page.
 */
export function useRunnerHealth() {
  const runnerApi = useApi(runnerApiRef);
  return useAsyncRetry(() => runnerApi.getHealth(), [runnerApi]);
}
