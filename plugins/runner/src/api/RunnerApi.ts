import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  Alert,
  ErrorEventPage,
  InstanceEvent,
  InstanceHealth,
  InstanceMetrics,
  RunnerHealthReport,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type {
  AlertsQuery,
  EffectiveConfig,
  ErrorsQuery,
  FollowLogsOptions,
  GetLogsOptions,
  InstanceErrorsQuery,
  MetricsQuery,
} from './types';

/**
 * What the Runner frontend needs from the runner backend. Entity refs are
 * full refs such as `component:default/hello`.
 *
 * @public
 */
export interface RunnerApi {
  /**
   * Whether the Docker engine and the configured Kubernetes clusters answer,
   * as reported by `GET /api/runner/health`.
   */
  getHealth(): Promise<RunnerHealthReport>;

  /** The entity's instances, in the backend's order. */
  listInstances(entityRef: string): Promise<RunnerInstance[]>;
  /** Starts a new instance; it comes back `pending` and moves on by itself. */
  startInstance(entityRef: string): Promise<RunnerInstance>;
  stopInstance(id: string): Promise<RunnerInstance>;
  restartInstance(id: string): Promise<RunnerInstance>;
  /** Stops the instance if needed and deletes it. */
  removeInstance(id: string): Promise<void>;
  /** The instance's state transitions, oldest first. */
  getInstanceEvents(id: string): Promise<InstanceEvent[]>;
  /** The merged config the runner uses for the entity; secrets as "set". */
  getEffectiveConfig(entityRef: string): Promise<EffectiveConfig>;
  /** A log as it is now. */
  getLogs(id: string, options: GetLogsOptions): Promise<string>;
  /**
   * Streams a log line by line until the build or container ends (resolves)
   * or `signal` aborts (resolves too: the caller asked for it).
   */
  followLogs(id: string, options: FollowLogsOptions): Promise<void>;

  /**
   * Min/avg/max of the instance's metrics per bucket over a range; buckets
   * without samples are left out.
   */
  getInstanceMetrics(id: string, query: MetricsQuery): Promise<InstanceMetrics>;
  /** Checks the instance's health now and returns it with the latest checks. */
  getInstanceHealth(id: string): Promise<InstanceHealth>;
  /**
   * One page of the categorized error history, newest first. A page may hold
   * fewer than `limit` items; follow `nextCursor` until it is absent.
   */
  listErrors(query: ErrorsQuery): Promise<ErrorEventPage>;
  /** One page of one instance's error history. */
  listInstanceErrors(
    id: string,
    query?: InstanceErrorsQuery,
  ): Promise<ErrorEventPage>;
  /** The entity's alerts, open ones first, newest first. */
  listAlerts(query: AlertsQuery): Promise<Alert[]>;
  /**
   * Acknowledges an open alert and returns it with `acknowledgedBy` and
   * `acknowledgedAt`; a resolved alert is refused with 409.
   */
  acknowledgeAlert(id: string): Promise<Alert>;
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
