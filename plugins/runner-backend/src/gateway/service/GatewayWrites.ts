import type { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  GATEWAY_OWNERSHIP,
  type GatewayApplyResult,
  type GatewayBundleType,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import type { ClusterSet } from '../../kubernetes/ClusterSet';
import { isSecret, type KubernetesObject } from '../bundle';
import { diffObjects } from '../changes/diff';
import {
  isRedactedSecret,
  keepLiveSecretValues,
} from '../changes/keptCredentials';
import { parseImport } from '../changes/yamlIO';
import {
  bundleTypeOf,
  groupByBundle,
  refKey,
  templateOf,
  withoutServerFields,
} from '../live/liveObjects';
import { prepareBundle } from './bundleRequests';
import { BundleApplier } from './BundleApplier';
import {
  applyCommit,
  checkCommit,
  commitBundle,
  type CheckedCommit,
  type Commit,
  type CommitDeps,
} from './commitBundle';
import { GatewayImportError, validationFailed } from './errors';
import { bundleMap, loadLiveObjects } from './liveBundles';
import { requireCluster, resolveTarget, type GatewayTarget } from './target';

/*
 * The changes: create, update (optimistic concurrency on the
 * resourceVersions the caller saw), delete, import and one-step rollback.
 * Each reads the bundle fresh from the cluster, checks ownership, and goes
 * through commitBundle (validation, dry run, apply, revision).
 */

export interface GatewayWritesDeps extends CommitDeps {
  clusters: ClusterSet;
}

export interface UpdateBody {
  input: unknown;
  /** `Kind/name` → the resourceVersion the caller saw (from GET). */
  resourceVersions: Record<string, string>;
}

const noun = (type: GatewayBundleType) =>
  type === 'route' ? 'route' : 'provider';

export class GatewayWrites {
  constructor(private readonly deps: GatewayWritesDeps) {}

  async create(
    entity: Entity,
    type: GatewayBundleType,
    body: unknown,
    actor?: string,
  ): Promise<GatewayApplyResult> {
    const target = resolveTarget(entity, this.deps.clusters);
    const prepared = prepareBundle({ type, body }, target.binding);
    if (!prepared.ok)
      throw validationFailed(`The ${noun(type)}`, prepared.findings);
    const cluster = requireCluster(target);
    const live = await this.#liveBundle(target, prepared.name);
    if (live.size > 0) {
      throw new ConflictError(
        `${target.binding.entityRef} already has a ${noun(type)} named '${
          prepared.name
        }'; change it with PUT`,
      );
    }
    return commitBundle(this.deps, {
      target,
      cluster,
      bundle: prepared.name,
      template: prepared.template,
      desired: prepared.bundle.objects,
      live,
      action: 'create',
      actor,
    });
  }

  async update(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
    body: UpdateBody,
    actor?: string,
  ): Promise<GatewayApplyResult> {
    const target = resolveTarget(entity, this.deps.clusters);
    const prepared = prepareBundle(
      { type, body: body.input, name, allowKeptCredentials: true },
      target.binding,
    );
    if (!prepared.ok)
      throw validationFailed(`The ${noun(type)} '${name}'`, prepared.findings);
    const cluster = requireCluster(target);
    const live = await this.#liveBundle(target, name);
    if (live.size === 0 || bundleTypeOf([...live.values()]) !== type) {
      throw new NotFoundError(
        `${target.binding.entityRef} has no ${noun(type)} named '${name}'`,
      );
    }
    await this.#checkVersions(target, name, live, body.resourceVersions);
    let desired = prepared.bundle.objects;
    const findings: GatewayFinding[] = [];
    if (prepared.keepSecret) {
      const secret = [...live.values()].find(isSecret);
      const kept = keepLiveSecretValues(desired, secret);
      desired = kept.objects;
      findings.push(...kept.findings);
    }
    return commitBundle(this.deps, {
      target,
      cluster,
      bundle: name,
      template: prepared.template,
      desired,
      live,
      action: 'update',
      actor,
      findings,
    });
  }

  async remove(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
    actor?: string,
  ): Promise<void> {
    const target = resolveTarget(entity, this.deps.clusters);
    const cluster = requireCluster(target);
    const live = await this.#liveBundle(target, name);
    if (live.size === 0 || bundleTypeOf([...live.values()]) !== type) {
      throw new NotFoundError(
        `${target.binding.entityRef} has no ${noun(type)} named '${name}'`,
      );
    }
    const objects = [...live.values()];
    await new BundleApplier({
      api: cluster.api(),
      cluster: cluster.name,
      secrets: [],
      logger: this.deps.logger,
    }).deleteAll(objects);
    objects.forEach(o => this.deps.liveState?.forget(cluster.name, o));
    await this.deps.revisions.record({
      entityRef: target.binding.entityRef,
      bundle: name,
      action: 'delete',
      template: templateOf(objects),
      cluster: cluster.name,
      objects: [],
      actor,
    });
    this.deps.logger.info(
      `Gateway delete of ${name} for ${target.binding.entityRef} on cluster ${cluster.name}: ${objects.length} object(s)`,
    );
  }

  /** Applies every bundle of a YAML import; all are validated (and dry-run) before any is applied. */
  async importYaml(
    entity: Entity,
    text: string,
    options: { bundle?: string },
    actor?: string,
  ): Promise<GatewayApplyResult[]> {
    const target = resolveTarget(entity, this.deps.clusters);
    const parsed = parseImport(text, target.binding, options);
    const problems = parsed.findings.filter(f => f.severity === 'error');
    if (problems.length > 0) {
      throw new GatewayImportError(
        `The YAML cannot be imported: ${problems.length} problem(s); nothing was changed`,
        parsed.findings,
      );
    }
    // Notes about a document (a version converted) go with its bundle's result.
    const notesOf = (bundle: string) =>
      parsed.findings.filter(note =>
        parsed.objects.some(
          o =>
            o.document === note.document &&
            o.object.metadata.labels?.[GATEWAY_OWNERSHIP.bundleLabel] ===
              bundle,
        ),
      );
    if (parsed.objects.length === 0)
      throw new InputError('The YAML holds no objects to import');
    const cluster = requireCluster(target);
    const allLive = await loadLiveObjects(target, cluster, { fresh: true });
    const bundles = groupByBundle(parsed.objects.map(o => o.object));
    const commits = [...bundles.entries()].map(([bundle, objects]) => {
      const live = new Map(
        (groupByBundle(allLive).get(bundle) ?? []).map(o => [refKey(o), o]),
      );
      const template = templateOf(objects);
      const withTemplate = objects.map(o => ({
        ...o,
        metadata: {
          ...o.metadata,
          annotations: {
            ...o.metadata.annotations,
            [GATEWAY_OWNERSHIP.templateAnnotation]: template,
          },
        },
      }));
      const kept = keepRedactedSecrets(withTemplate, live);
      return {
        bundle,
        template,
        live,
        desired: kept.objects,
        findings: [...notesOf(bundle), ...kept.findings],
      };
    });
    // Validation and dry runs of every bundle first: a bad bundle changes nothing.
    const checked: Array<[Commit, CheckedCommit]> = [];
    for (const prepared of commits) {
      const commit: Commit = {
        target,
        cluster,
        action: 'import',
        actor,
        deleteMissing: false,
        ...prepared,
      };
      checked.push([commit, await checkCommit(this.deps, commit)]);
    }
    const results: GatewayApplyResult[] = [];
    for (const [commit, check] of checked) {
      results.push(await applyCommit(this.deps, commit, check));
    }
    return results;
  }

  /** Re-applies the revision before the latest; Secrets keep the values they have in the cluster. */
  async rollback(
    entity: Entity,
    type: GatewayBundleType,
    name: string,
    actor?: string,
  ): Promise<GatewayApplyResult> {
    const target = resolveTarget(entity, this.deps.clusters);
    const cluster = requireCluster(target);
    const history = await this.deps.revisions.list(
      target.binding.entityRef,
      name,
      2,
    );
    if (history.length < 2) {
      throw new ConflictError(
        `The ${noun(type)} '${name}' has no earlier revision to roll back to`,
      );
    }
    const [current, previous] = history;
    if (previous.objects.length === 0) {
      throw new ConflictError(
        `Revision ${
          previous.revision
        } of '${name}' is its deletion; delete the ${noun(
          type,
        )} instead of rolling back`,
      );
    }
    const live = await this.#liveBundle(target, name);
    const desired = previous.objects.map(o =>
      withoutServerFields(o as KubernetesObject),
    );
    if (bundleTypeOf(desired) !== type) {
      throw new NotFoundError(
        `${target.binding.entityRef} has no ${noun(type)} named '${name}'`,
      );
    }
    const kept = keepRedactedSecrets(desired, live);
    const result = await commitBundle(this.deps, {
      target,
      cluster,
      bundle: name,
      template: previous.template,
      desired: kept.objects,
      live,
      action: 'rollback',
      actor,
      findings: kept.findings,
    });
    this.deps.logger.info(
      `Gateway rollback of ${name}: revision ${current.revision} → ${previous.revision}`,
    );
    return result;
  }

  async #liveBundle(
    target: GatewayTarget,
    name: string,
  ): Promise<Map<string, KubernetesObject>> {
    const objects = await loadLiveObjects(target, requireCluster(target), {
      fresh: true,
    });
    return bundleMap(objects, name);
  }

  /** 409 naming each object that changed since the caller read it, and which fields changed when a revision shows the old state. */
  async #checkVersions(
    target: GatewayTarget,
    bundle: string,
    live: Map<string, KubernetesObject>,
    seen: Record<string, string>,
  ): Promise<void> {
    const missing = [...live.keys()].filter(key => !seen[key]);
    if (missing.length > 0) {
      throw new InputError(
        `resourceVersions must name every object of the bundle, as GET returns them; missing: ${missing.join(
          ', ',
        )}`,
      );
    }
    const stale: string[] = [];
    for (const [key, object] of live) {
      const now = String(object.metadata.resourceVersion);
      if (seen[key] === now) continue;
      const before = await this.deps.revisions.findObjectAt(
        target.binding.entityRef,
        bundle,
        object.kind,
        object.metadata.name,
        seen[key],
      );
      const fields = before
        ? diffObjects(
            [withoutServerFields(object)],
            [before as KubernetesObject],
          )[0]?.changes.map(c => c.path) ?? []
        : [];
      let detail = '; changed outside Backstage or in an unrecorded version';
      if (before)
        detail = fields.length > 0 ? `; changed: ${fields.join(', ')}` : '';
      stale.push(`${key} (resourceVersion ${seen[key]} → ${now}${detail})`);
    }
    if (stale.length > 0) {
      throw new ConflictError(
        `'${bundle}' changed since you read it: ${stale.join(
          '; ',
        )}. Reload it and apply your change again.`,
      );
    }
  }
}

/** Secrets given as "set" / "not set" (an export, a revision) take the live Secret's values. */
function keepRedactedSecrets(
  objects: KubernetesObject[],
  live: Map<string, KubernetesObject>,
) {
  const findings: GatewayFinding[] = [];
  const result = objects.map(object => {
    if (!isRedactedSecret(object)) return object;
    const kept = keepLiveSecretValues(
      [object],
      live.get(refKey(object)),
      `Secret ${object.metadata.name}`,
    );
    findings.push(...kept.findings);
    return kept.objects[0];
  });
  return { objects: result, findings };
}
