import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  Alert,
  GatewayApplyResult,
  GatewayBundleList,
  GatewayBundleType,
  GatewayBundleView,
  GatewayClustersResponse,
  GatewayDiffResponse,
  GatewayRevision,
  GatewayValidateResponse,
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
  GatewayProposal,
  GatewayTemplate,
  GatewayTemplateSummary,
  GatewayUpdateRequest,
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

  /** Every configured cluster: reachable or why not, and whether bundles can be applied there. */
  getGatewayClusters(): Promise<GatewayClustersResponse>;
  /** The provider templates and `httproute`. */
  listGatewayTemplates(): Promise<GatewayTemplateSummary[]>;
  /** One template with the JSON Schema of its input; 404 for an unknown id. */
  getGatewayTemplate(id: string): Promise<GatewayTemplate>;
  /** The entity's routes or providers; `configured: false` without a cluster. */
  listGatewayBundles(
    entityRef: string,
    type: GatewayBundleType,
  ): Promise<GatewayBundleList>;
  getGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
  ): Promise<GatewayBundleView>;
  /** Applies a template's input; 422 with findings, 409 when it exists or no cluster is there. */
  createGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    input: Record<string, unknown>,
  ): Promise<GatewayApplyResult>;
  /** 409 when an object changed since `resourceVersions` were read. */
  updateGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
    request: GatewayUpdateRequest,
  ): Promise<GatewayApplyResult>;
  deleteGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
  ): Promise<void>;
  /** Every finding with its path, and what each layer (rules, schema, dry run) did. */
  validateGatewayProposal(
    entityRef: string,
    proposal: GatewayProposal,
  ): Promise<GatewayValidateResponse>;
  /** Per object and field, what applying the proposal would change in the cluster. */
  diffGatewayProposal(
    entityRef: string,
    proposal: GatewayProposal,
  ): Promise<GatewayDiffResponse>;
  /** The entity's live objects (or one bundle's) as YAML, Secrets redacted. */
  exportGatewayYaml(entityRef: string, bundle?: string): Promise<string>;
  /** The YAML a proposal would apply, Secrets redacted; 422 with findings if it is invalid. */
  exportGatewayProposal(
    entityRef: string,
    proposal: GatewayProposal,
  ): Promise<string>;
  /** Applies YAML; 400 with line-numbered findings when it does not parse or is refused. */
  importGatewayYaml(
    entityRef: string,
    yaml: string,
    bundle?: string,
  ): Promise<GatewayApplyResult[]>;
  /** Recorded revisions, newest first. */
  listGatewayRevisions(
    entityRef: string,
    bundle?: string,
  ): Promise<GatewayRevision[]>;
  /** Re-applies the revision before the latest; 409 when there is none. */
  rollbackGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
  ): Promise<GatewayApplyResult>;
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
