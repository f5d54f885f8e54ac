import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  GATEWAY_OWNERSHIP,
  type GatewayApplyResult,
  type GatewayBundleList,
  type GatewayBundleType,
  type GatewayBundleView,
  type GatewayDiffResponse,
  type GatewayFinding,
  type GatewayRevision,
  type GatewayValidateResponse,
  type GatewayValidationStatus,
} from '@internal/plugin-runner-common';
import type { ClusterSet } from '../../kubernetes/ClusterSet';
import { secretValues } from '../bundle';
import { mergeForApply } from '../changes/applyMerge';
import { diffObjects } from '../changes/diff';
import { toYaml } from '../changes/yamlIO';
import type { GatewayLiveState } from '../live/GatewayLiveState';
import { refKey } from '../live/liveObjects';
import type { GatewayRevisionStore } from '../revisions/GatewayRevisionStore';
import {
  hasErrors,
  objectKey,
  UnverifiedKinds,
} from '../validation/validateBundle';
import { BundleApplier } from './BundleApplier';
import { foreignObjects } from './commitBundle';
import type { CrdSchemas } from './CrdSchemas';
import { NO_CLUSTER_MESSAGE } from './errors';
import { GatewayWrites, type UpdateBody } from './GatewayWrites';
import {
  bundleViews,
  generatedRouteLookup,
  loadLiveObjects,
} from './liveBundles';
import { buildProposal, type ProposalRequest } from './proposals';
import { resolveTarget } from './target';

/**
 * Constructor options of {@link GatewayService}; see `createGatewayServices`
 * for building them from config.
 */
export interface GatewayServiceOptions {
  clusters: ClusterSet;
  revisions: GatewayRevisionStore;
  schemas: CrdSchemas;
  logger: LoggerService;
  /** Serves reads from watch caches when given and synced; reads go to the API server otherwise. */
  liveState?: GatewayLiveState;
}

/**
 * Everything the gateway REST API does for an entity: list and read its
 * routes and providers, validate, diff and export proposals, create,
 * update, delete, import and roll back. Routers call one method each.
 * No response, log line or error from here carries a secret value.
 */
export class GatewayService {
  readonly #writes: GatewayWrites;

  constructor(private readonly options: GatewayServiceOptions) {
    this.#writes = new GatewayWrites(options);
  }

  async list(
    entity: Entity,
    type: GatewayBundleType,
  ): Promise<GatewayBundleList> {
    const target = resolveTarget(entity, this.options.clusters);
    const base = { namespace: target.binding.namespace };
    if (!target.cluster) {
      return {
        configured: false,
        message: NO_CLUSTER_MESSAGE,
        items: [],
        ...base,
      };
    }
    const cluster = target.cluster;
    const objects = await loadLiveObjects(target, cluster, {
      liveState: this.options.liveState,
    });
    const lookup = await generatedRouteLookup(
      cluster,
      objects,
      this.options.liveState,
    );
    return {
      configured: true,
      cluster: cluster.name,
      ...base,
      items: bundleViews(objects, type, target, cluster.name, lookup),
    };
  }

  async get(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
  ): Promise<GatewayBundleView> {
    const list = await this.list(entity, type);
    if (!list.configured) throw new NotFoundError(`${list.message}`);
    const found = list.items.find(item => item.name === name);
    if (!found) {
      throw new NotFoundError(
        `${
          resolveTarget(entity, this.options.clusters).binding.entityRef
        } has no ${type} named '${name}'`,
      );
    }
    return found;
  }

  /**
   * All findings with paths: business rules and CRD schema/CEL always; the
   * server's dry run when a cluster answers. The verdict says which kinds
   * were checked against no schema: none, when the dry run ran, since the
   * API server checked every object.
   */
  async validate(
    entity: Entity,
    request: ProposalRequest,
  ): Promise<GatewayValidateResponse> {
    const target = resolveTarget(entity, this.options.clusters);
    const proposal = await buildProposal(target, request);
    const schemas = await this.options.schemas.forCluster(
      proposal.live.loaded ? target.cluster : undefined,
    );
    const findings: GatewayFinding[] = [...proposal.findings];
    const unverified = new UnverifiedKinds();
    for (const bundle of proposal.bundles) {
      findings.push(
        ...bundle.findings,
        ...schemas.validator.validateBundle(bundle.desired, {
          entityRef: target.binding.entityRef,
          bundle: bundle.name,
          oldObjects: new Map(
            [...bundle.live.values()].map(o => [objectKey(o), o]),
          ),
          unverified,
        }),
      );
    }
    let dryRun: string;
    let checkedByServer = false;
    if (!proposal.live.loaded) {
      dryRun = `skipped: ${proposal.live.reason}`;
    } else if (hasErrors(findings) || proposal.bundles.length === 0) {
      dryRun = 'skipped: the in-process layers found errors';
    } else {
      const cluster = target.cluster!;
      for (const bundle of proposal.bundles) {
        const applier = new BundleApplier({
          api: cluster.api(),
          cluster: cluster.name,
          secrets: secretValues([...bundle.desired, ...bundle.live.values()]),
          logger: this.options.logger,
        });
        findings.push(
          ...(await foreignObjects(
            cluster,
            bundle.desired,
            bundle.live,
            target.binding.entityRef,
          )),
          ...(await applier.dryRun(bundle.desired, bundle.live)),
        );
      }
      dryRun = `ran on cluster ${cluster.name}`;
      checkedByServer = true;
    }
    const unverifiedKinds = checkedByServer
      ? []
      : unverified.list().map(u => ({
          ...u,
          reason: `${u.reason} (schemas: ${schemas.source})`,
        }));
    let status: GatewayValidationStatus = 'valid';
    if (hasErrors(findings)) status = 'invalid';
    else if (unverifiedKinds.length > 0) status = 'unverified';
    return {
      status,
      valid: status === 'valid',
      unverifiedKinds: status === 'unverified' ? unverifiedKinds : [],
      findings,
      layers: { rules: 'ran', schema: `ran with ${schemas.source}`, dryRun },
    };
  }

  /** What applying the proposal would change, object by object and field by field. */
  async diff(
    entity: Entity,
    request: ProposalRequest,
  ): Promise<GatewayDiffResponse> {
    const target = resolveTarget(entity, this.options.clusters);
    const proposal = await buildProposal(target, request);
    const schemas = await this.options.schemas.forCluster(
      proposal.live.loaded ? target.cluster : undefined,
    );
    const objects = proposal.bundles.flatMap(bundle =>
      diffObjects(
        bundle.desired.map(o => mergeForApply(o, bundle.live.get(refKey(o)))),
        [...bundle.live.values()],
        { normalize: schemas.normalize, keptSecrets: bundle.keptSecrets },
      ),
    );
    return {
      againstLive: proposal.live.loaded,
      ...(proposal.live.loaded
        ? {}
        : { message: `Compared with nothing: ${proposal.live.reason}` }),
      objects,
      findings: [
        ...proposal.findings,
        ...proposal.bundles.flatMap(b => b.findings),
      ],
    };
  }

  /** The entity's live objects (or one bundle's) as multi-document YAML, Secrets redacted. */
  async exportYaml(entity: Entity, bundle?: string): Promise<string> {
    const target = resolveTarget(entity, this.options.clusters);
    const header = `Gateway resources of ${target.binding.entityRef}${
      bundle ? `, bundle ${bundle}` : ''
    }. Secret values are not exported: each Secret says how to fill it in (imported as it is, the cluster keeps its values).`;
    if (!target.cluster) return toYaml([], `${header}\n${NO_CLUSTER_MESSAGE}`);
    const objects = (
      await loadLiveObjects(target, target.cluster, {
        liveState: this.options.liveState,
      })
    ).filter(
      o =>
        !bundle ||
        o.metadata.labels?.[GATEWAY_OWNERSHIP.bundleLabel] === bundle,
    );
    return toYaml(
      objects,
      `${header}\nCluster ${target.cluster.name}, namespace ${target.binding.namespace}.`,
    );
  }

  /** A proposal rendered as YAML without applying anything; works without a cluster. */
  async exportProposal(
    entity: Entity,
    request: ProposalRequest,
  ): Promise<{ yaml: string; findings: GatewayFinding[] }> {
    const target = resolveTarget(entity, this.options.clusters);
    const proposal = await buildProposal({ binding: target.binding }, request);
    return {
      yaml: toYaml(
        proposal.bundles.flatMap(b => b.desired),
        `Proposed gateway resources of ${target.binding.entityRef}; not applied.`,
      ),
      findings: proposal.findings,
    };
  }

  async revisions(entity: Entity, bundle?: string): Promise<GatewayRevision[]> {
    const target = resolveTarget(entity, this.options.clusters);
    return this.options.revisions.list(target.binding.entityRef, bundle);
  }

  create(
    entity: Entity,
    type: GatewayBundleType,
    body: unknown,
    actor?: string,
  ): Promise<GatewayApplyResult> {
    return this.#writes.create(entity, type, body, actor);
  }

  update(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
    body: UpdateBody,
    actor?: string,
  ): Promise<GatewayApplyResult> {
    return this.#writes.update(entity, type, name, body, actor);
  }

  delete(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
    actor?: string,
  ): Promise<void> {
    return this.#writes.remove(entity, type, name, actor);
  }

  importYaml(
    entity: Entity,
    yaml: string,
    options: { bundle?: string },
    actor?: string,
  ): Promise<GatewayApplyResult[]> {
    return this.#writes.importYaml(entity, yaml, options, actor);
  }

  rollback(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
    actor?: string,
  ): Promise<GatewayApplyResult> {
    return this.#writes.rollback(entity, type, name, actor);
  }
}
