import { createApiRef } from '@backstage/frontend-plugin-api';
import type { RunnerHealthReport } from '@internal/plugin-runner-common';

/**
 * What the Runner frontend needs from the runner backend.
 *
 * @public
 */
export interface RunnerApi {
  /**
   * Whether the Docker engine and the configured Kubernetes clusters answer,
   * as reported by `GET /api/runner/health`.
   */
  getHealth(): Promise<RunnerHealthReport>;
}

/**
 * The Utility API reference of {@link RunnerApi}.
 *
 * The id follows the `plugin.<pluginId>.*` convention so that the new frontend
 * system attributes the API to the `runner` plugin and no other plugin can
 * override it by accident.
 *
 * @public
 */
export const runnerApiRef = createApiRef<RunnerApi>().with({
  id: 'plugin.runner.service',
  pluginId: 'runner',
});
