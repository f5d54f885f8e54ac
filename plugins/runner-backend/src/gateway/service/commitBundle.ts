import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  GATEWAY_OWNERSHIP,
  type GatewayApplyResult,
  type GatewayFinding,
  type GatewayRevision,
} from '@internal/plugin-runner-common';
import type { ClusterClient } from '../../kubernetes/ClusterClient';
import { KubernetesApiError } from '../../kubernetes/KubernetesApiError';
import { objectRef, secretValues, type KubernetesObject } from '../bundle';
import type { GatewayLiveState } from '../live/GatewayLiveState';
import { refKey } from '../live/liveObjects';
import type { GatewayRevisionStore } from '../revisions/GatewayRevisionStore';
import { runBusinessRules } from '../validation/rules';
import { hasErrors, objectKey } from '../validation/validateBundle';
import { BundleApplier } from './BundleApplier';
import type { CrdSchemas } from './CrdSchemas';
import { fromClusterError, validationFailed } from './errors';
import { bundleView, generatedRouteLookup } from './liveBundles';
import type { GatewayTarget } from './target';

/*
 * The one way a bundle reaches a cluster: in-process validation (business
 * rules, CRD schema, CEL), the server's dry run, the apply, the watch cache
 * told at once, a revision recorded. Any finding stops it before anything
 * is written.
 */

export interface CommitDeps {
  schemas: CrdSchemas;
  revisions: GatewayRevisionStore;
  logger: LoggerService;
  liveState?: GatewayLiveState;
}

export interface Commit {
  target: GatewayTarget;
  cluster: ClusterClient;
  bundle: string;
  template: string;
  desired: KubernetesObject[];
  /** The bundle's live objects by `Kind/name`, read fresh from the cluster. */
  live: Map<string, KubernetesObject>;
  action: GatewayRevision['action'];
  actor?: string;
  /** Findings found while preparing (e.g. credentials that cannot be kept). */
  findings?: GatewayFinding[];
  /**
   * Default true: live objects of the bundle that `desired` does not have are
   * deleted. An import sets false: a YAML with some of a bundle's objects
   * changes those and leaves the rest.
   */
  deleteMissing?: boolean;
}

/** Objects of the entity with this Kind/name that are not part of the bundle: not ours, or another bundle's. */
export async function foreignObjects(
  cluster: ClusterClient,
  desired: KubernetesObject[],
  live: Map<string, KubernetesObject>,
  entityRef: string,
): Promise<GatewayFinding[]> {
  const findings: GatewayFinding[] = [];
  for (const object of desired) {
    if (live.has(refKey(object))) continue;
    let existing;
    try {
      existing = await cluster.api().get({
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
      });
    } catch (error) {
      if (error instanceof KubernetesApiError && error.code === 404) continue;
      throw fromClusterError(error, cluster.name);
    }
    if (!existing) continue;
    const owner =
      existing.metadata.annotations?.[GATEWAY_OWNERSHIP.entityRefAnnotation];
    const otherBundle =
      existing.metadata.labels?.[GATEWAY_OWNERSHIP.bundleLabel];
    findings.push({
      path: 'metadata.name',
      message:
        owner === entityRef
          ? `Duplicate value: ${JSON.stringify(object.metadata.name)}: ${
              object.kind
            } ${
              object.metadata.name
            } already belongs to this entity's bundle ${JSON.stringify(
              otherBundle,
            )}`
          : `Duplicate value: ${JSON.stringify(object.metadata.name)}: ${
              object.kind
            } ${
              object.metadata.name
            } exists and is not managed by ${entityRef}; the plugin never touches objects it does not own`,
      severity: 'error',
      source: 'rule',
      object: objectRef(object),
    });
  }
  return findings;
}

export interface CheckedCommit {
  applier: BundleApplier;
  warnings: GatewayFinding[];
}

/** Every check, nothing written: in-process validation, ownership, then the server's dry run. */
export async function checkCommit(
  deps: CommitDeps,
  commit: Commit,
): Promise<CheckedCommit> {
  const { target, cluster, desired, live } = commit;
  const { entityRef } = target.binding;
  const secrets = secretValues([...desired, ...live.values()]);
  const schemas = await deps.schemas.forCluster(cluster);
  const desiredKeys = new Set(desired.map(refKey));
  const oldObjects = new Map([...live.values()].map(o => [objectKey(o), o]));
  const findings = [
    ...(commit.findings ?? []),
    // Business rules see the bundle as it will be: with the live objects an import leaves alone.
    ...runBusinessRules(
      [
        ...desired,
        ...(commit.deleteMissing === false
          ? [...live.values()].filter(o => !desiredKeys.has(refKey(o)))
          : []),
      ],
      { entityRef, bundle: commit.bundle },
    ),
    ...desired.flatMap(object =>
      schemas.validator.validateObject(object, {
        oldObject: oldObjects.get(objectKey(object)),
      }),
    ),
    ...(await foreignObjects(cluster, desired, live, entityRef)),
  ];
  const what = `${commit.bundle} (${commit.template})`;
  if (hasErrors(findings)) throw validationFailed(what, findings);

  const applier = new BundleApplier({
    api: cluster.api(),
    cluster: cluster.name,
    secrets,
    logger: deps.logger,
  });
  const serverFindings = await applier.dryRun(desired, live);
  if (hasErrors(serverFindings))
    throw validationFailed(what, [...findings, ...serverFindings]);
  return {
    applier,
    warnings: [...findings, ...serverFindings].filter(
      f => f.severity === 'warning',
    ),
  };
}

/** Applies a checked commit, tells the watch cache, records the revision. */
export async function applyCommit(
  deps: CommitDeps,
  commit: Commit,
  checked: CheckedCommit,
): Promise<GatewayApplyResult> {
  const { target, cluster, live } = commit;
  const { entityRef } = target.binding;
  const applied = await checked.applier.apply(commit.desired, live, {
    deleteMissing: commit.deleteMissing,
  });
  const kept = new Set(applied.map(refKey));
  // The bundle's objects now: what was applied, plus what an import left alone.
  const current =
    commit.deleteMissing === false
      ? [...applied, ...[...live.values()].filter(o => !kept.has(refKey(o)))]
      : applied;
  for (const object of applied) deps.liveState?.observe(cluster.name, object);
  if (commit.deleteMissing !== false) {
    for (const object of live.values()) {
      if (!kept.has(refKey(object)))
        deps.liveState?.forget(cluster.name, object);
    }
  }
  const revision = await deps.revisions.record({
    entityRef,
    bundle: commit.bundle,
    action: commit.action,
    template: commit.template,
    cluster: cluster.name,
    objects: current,
    actor: commit.actor,
  });
  deps.logger.info(
    `Gateway ${commit.action} of ${commit.bundle} (${commit.template}) for ${entityRef} on cluster ${cluster.name}: ${applied.length} object(s), revision ${revision.revision}`,
  );
  const lookup = await generatedRouteLookup(cluster, current, deps.liveState);
  return {
    bundle: bundleView(commit.bundle, current, target, cluster.name, lookup),
    revision: revision.revision,
    warnings: checked.warnings,
  };
}

export async function commitBundle(
  deps: CommitDeps,
  commit: Commit,
): Promise<GatewayApplyResult> {
  return applyCommit(deps, commit, await checkCommit(deps, commit));
}

/** Turns a cluster failure into the route's answer, scrubbed of the bundle's secret values. */
export function clusterFailure(
  error: unknown,
  cluster: ClusterClient,
  objects: KubernetesObject[],
): Error {
  return fromClusterError(error, cluster.name, secretValues(objects));
}
