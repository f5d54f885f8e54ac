import type { LoggerService } from '@backstage/backend-plugin-api';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { ClusterApi, KubeObject } from '../../kubernetes/ClusterApi';
import { KubernetesApiError } from '../../kubernetes/KubernetesApiError';
import { objectRef, sortForApply, type KubernetesObject } from '../bundle';
import { mergeForApply } from '../changes/applyMerge';
import { refKey, withoutServerFields } from '../live/liveObjects';
import {
  findingsFromStatus,
  fromClusterError,
  validationFailed,
} from './errors';

/*
 * Writes a bundle to a cluster: a server-side dry run of every object first
 * (the third validation layer), then create or replace in dependency order
 * (Secret and Backend before what references them), then deletion of live
 * objects the bundle no longer has, in reverse order. Replaces carry the
 * live resourceVersion, so a concurrent change is a 409, not a lost update.
 * When a write fails half-way, what was already written is undone (best
 * effort) so the bundle is not left half-applied.
 */

export interface ApplyContext {
  api: ClusterApi;
  cluster: string;
  /** Secret values in play, scrubbed from every message. */
  secrets: readonly string[];
  logger: LoggerService;
}

type Undo = { describe: string; run: () => Promise<unknown> };

export class BundleApplier {
  constructor(private readonly context: ApplyContext) {}

  /** `dryRun=All` for each object (create, or replace of the live one); 422s come back as findings. */
  async dryRun(
    desired: KubernetesObject[],
    live: Map<string, KubernetesObject>,
  ): Promise<GatewayFinding[]> {
    const { api, cluster, secrets } = this.context;
    const findings: GatewayFinding[] = [];
    for (const object of sortForApply(desired)) {
      const current = live.get(refKey(object));
      try {
        const payload = mergeForApply(object, current) as KubeObject;
        await (current
          ? api.replace(payload, { dryRun: true })
          : api.create(payload, { dryRun: true }));
      } catch (error) {
        if (error instanceof KubernetesApiError && error.code === 422) {
          findings.push(
            ...findingsFromStatus(error, objectRef(object), secrets),
          );
          continue;
        }
        if (
          error instanceof KubernetesApiError &&
          error.code === 409 &&
          !current
        ) {
          findings.push({
            path: 'metadata.name',
            message: `Duplicate value: ${JSON.stringify(
              object.metadata.name,
            )}: ${error.message}`,
            severity: 'error',
            source: 'server',
            object: objectRef(object),
          });
          continue;
        }
        throw fromClusterError(error, cluster, secrets);
      }
    }
    return findings;
  }

  /**
   * Creates or replaces every desired object and deletes live ones the
   * bundle no longer has. Returns the objects as the API server stored them.
   */
  async apply(
    desired: KubernetesObject[],
    live: Map<string, KubernetesObject>,
    options: { deleteMissing?: boolean } = {},
  ): Promise<KubernetesObject[]> {
    const { api } = this.context;
    const applied: KubernetesObject[] = [];
    const undo: Undo[] = [];
    // Without deleteMissing (an import), live objects the bundle does not mention are left alone.
    const wanted = new Set(
      options.deleteMissing === false ? [...live.keys()] : desired.map(refKey),
    );
    let step = '';
    try {
      for (const object of sortForApply(desired)) {
        const current = live.get(refKey(object));
        step = `${current ? 'replace' : 'create'} ${refKey(object)}`;
        const payload = mergeForApply(object, current) as KubeObject;
        const stored = current
          ? await api.replace(payload)
          : await api.create(payload);
        applied.push(stored);
        undo.push(
          current
            ? {
                describe: `restore ${refKey(object)}`,
                run: () =>
                  api.replace(
                    mergeForApply(
                      withoutServerFields(current),
                      stored,
                    ) as KubeObject,
                  ),
              }
            : {
                describe: `delete ${refKey(object)}`,
                run: () => api.delete(this.#ref(stored)),
              },
        );
      }
      const leftovers = sortForApply(
        [...live.values()].filter(o => !wanted.has(refKey(o))),
      ).reverse();
      for (const object of leftovers) {
        step = `delete ${refKey(object)}`;
        await api.delete(this.#ref(object));
      }
    } catch (error) {
      const undone = await this.#undo(undo);
      const failure = fromClusterError(
        error,
        this.context.cluster,
        this.context.secrets,
      );
      failure.message = `${failure.message} (while trying to ${step}; ${undone})`;
      if (error instanceof KubernetesApiError && error.code === 422) {
        throw validationFailed(
          `${step}`,
          findingsFromStatus(
            error,
            objectRef(
              desired.find(o => step.endsWith(refKey(o))) ?? desired[0],
            ),
            this.context.secrets,
          ),
        );
      }
      throw failure;
    }
    return applied;
  }

  /** Deletes the objects in reverse dependency order; already gone counts as deleted. */
  async deleteAll(objects: KubernetesObject[]): Promise<void> {
    for (const object of sortForApply(objects).reverse()) {
      try {
        await this.context.api.delete(this.#ref(object));
      } catch (error) {
        if (error instanceof KubernetesApiError && error.code === 404) continue;
        throw fromClusterError(
          error,
          this.context.cluster,
          this.context.secrets,
        );
      }
    }
  }

  #ref(object: KubernetesObject) {
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    };
  }

  async #undo(steps: Undo[]): Promise<string> {
    if (steps.length === 0) return 'nothing had been changed';
    const failed: string[] = [];
    for (const step of [...steps].reverse()) {
      try {
        await step.run();
      } catch (error) {
        failed.push(step.describe);
        this.context.logger.warn(
          `Gateway apply on cluster ${this.context.cluster}: could not ${step.describe} while undoing a failed apply`,
        );
      }
    }
    return failed.length === 0
      ? `the ${steps.length} change(s) made before were undone`
      : `undoing failed for: ${failed.join(', ')}`;
  }
}
