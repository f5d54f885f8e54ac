import type { GatewaySecretSummary } from './bundle';
import type { GatewayFinding, GatewayObjectRef } from './findings';
import type { GatewayObjectStatus, GatewayTriState } from './status';

/*
 * Bodies of the gateway REST API under /api/runner. Secret values never
 * appear in any of them: Secrets show their keys as "set" or "not set".
 */

/**
 * Whether a CRD the plugin works with is installed, and which versions it serves.
 *
 * @public
 */
export interface GatewayCrdReport {
  /** e.g. `httproutes.gateway.networking.k8s.io` */
  name: string;
  group: string;
  kind: string;
  installed: boolean;
  servedVersions: string[];
  storageVersion?: string;
  /** `gateway.networking.k8s.io/bundle-version`, when the CRD carries it. */
  bundleVersion?: string;
  /** Gateway API release channel (`standard` or `experimental`), when known. */
  channel?: string;
}

/**
 * A controller Deployment the gateway resources need.
 *
 * @public
 */
export interface GatewayControllerReport {
  name: string;
  namespace: string;
  /** `unknown` when the plugin may not read the Deployment, with the reason. */
  ready: 'true' | 'false' | 'unknown' | 'missing';
  reason?: string;
}

/**
 * One configured cluster: reachable or why not, what is installed and running.
 *
 * @public
 */
export interface GatewayClusterReport {
  name: string;
  url: string;
  default: boolean;
  reachable: boolean;
  reason?: string;
  version?: string;
  /** How the CRDs were found: the apiextensions API, or discovery when listing CRDs is not allowed. */
  crdSource?: 'apiextensions' | 'discovery';
  crds: GatewayCrdReport[];
  controllers: GatewayControllerReport[];
  /** Whether a provider bundle / an HTTPRoute can be applied here, and why not. */
  ready: { providers: boolean; routes: boolean; reasons: string[] };
}

/**
 * Body of `GET /api/runner/gateway/clusters`.
 *
 * @public
 */
export interface GatewayClustersResponse {
  /** False when `runner.kubernetes.clusters` is empty; `message` says so plainly. */
  configured: boolean;
  message?: string;
  defaultCluster?: string;
  clusters: GatewayClusterReport[];
  checkedAt: string;
}

/**
 * `routes` hold an HTTPRoute; `providers` an AI Gateway provider bundle.
 *
 * @public
 */
export type GatewayBundleType = 'route' | 'provider';

/**
 * One bundle as it is in the cluster.
 *
 * @public
 */
export interface GatewayBundleView {
  name: string;
  type: GatewayBundleType;
  template: string;
  cluster: string;
  namespace: string;
  /** The live objects, server fields kept, Secrets redacted. */
  objects: Array<Record<string, unknown>>;
  /** `Kind/name` → resourceVersion: send these back with an update. */
  resourceVersions: Record<string, string>;
  secrets: GatewaySecretSummary[];
  accepted: GatewayTriState;
  status: GatewayObjectStatus[];
}

/**
 * Body of `GET …/gateway/routes` and `GET …/gateway/providers`.
 *
 * @public
 */
export interface GatewayBundleList {
  configured: boolean;
  message?: string;
  cluster?: string;
  namespace?: string;
  items: GatewayBundleView[];
}

/**
 * One field that a change adds, removes or replaces. Secret values are shown
 * as "set" / "not set"; a Secret key that is sent is always shown as
 * replaced, since comparing values would reveal them.
 *
 * @public
 */
export interface GatewayFieldChange {
  path: string;
  op: 'add' | 'remove' | 'replace';
  before?: unknown;
  after?: unknown;
}

/**
 * @public
 */
export interface GatewayObjectDiff {
  object: GatewayObjectRef;
  action: 'create' | 'update' | 'delete' | 'unchanged';
  changes: GatewayFieldChange[];
}

/**
 * Body of `POST …/gateway/diff`.
 *
 * @public
 */
export interface GatewayDiffResponse {
  /** False when there was nothing live to compare with (no cluster configured or reachable). */
  againstLive: boolean;
  message?: string;
  objects: GatewayObjectDiff[];
  findings: GatewayFinding[];
}

/**
 * The verdict of a validation: `valid` (every object was checked against its
 * schema, or by the cluster's dry run, and nothing is wrong), `invalid` (at
 * least one error), or `unverified` (no error, but some kinds were not
 * checked against a schema; `unverifiedKinds` says which and why).
 *
 * @public
 */
export type GatewayValidationStatus = 'valid' | 'invalid' | 'unverified';

/**
 * A kind whose objects were not checked against a schema, and why (e.g. no
 * CRD for it is loaded).
 *
 * @public
 */
export interface GatewayUnverifiedKind {
  apiVersion: string;
  kind: string;
  reason: string;
}

/**
 * Body of `POST …/gateway/validate`.
 *
 * @public
 */
export interface GatewayValidateResponse {
  status: GatewayValidationStatus;
  /** True only when `status` is `valid`: an unverified result is not valid, though it has no errors. */
  valid: boolean;
  /** Empty unless `status` is `unverified`. */
  unverifiedKinds: GatewayUnverifiedKind[];
  findings: GatewayFinding[];
  /** What each layer did, e.g. `dryRun: "skipped: no cluster is configured"`. */
  layers: { rules: string; schema: string; dryRun: string };
}

/**
 * One recorded revision of a bundle.
 *
 * @public
 */
export interface GatewayRevision {
  id: number;
  entityRef: string;
  bundle: string;
  revision: number;
  action: 'create' | 'update' | 'import' | 'rollback' | 'delete';
  template: string;
  cluster: string;
  /** The objects as applied, Secrets reduced to their keys. */
  objects: Array<Record<string, unknown>>;
  actor?: string;
  createdAt: string;
}

/**
 * Result of a create, update, import or rollback.
 *
 * @public
 */
export interface GatewayApplyResult {
  bundle: GatewayBundleView;
  revision: number;
  warnings: GatewayFinding[];
}
