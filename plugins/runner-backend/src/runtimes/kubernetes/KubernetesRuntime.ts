import type { LoggerService } from '@backstage/backend-plugin-api';
import type { InstancePort } from '@internal/plugin-runner-common';
import {
  type AdoptSelector,
  type AdoptedWorkload,
  type LaunchResult,
  type LaunchSpec,
  type ObserveOptions,
  type PrepareOptions,
  type RunnerRuntime,
  type RuntimeArtifact,
  type RuntimeHandle,
  type RuntimeLogLine,
  type RuntimeLogOptions,
  type RuntimeObservation,
  type RuntimeSource,
  type RuntimeStatsSample,
  type RuntimeSubscription,
} from '@internal/plugin-runner-node';
import { ClusterTargets, type KubernetesClusterTarget } from './ClusterTargets';
import { podLogs } from './io/logs';
import { podStats } from './io/stats';
import {
  discardWorkload,
  endpointsFor,
  launchWorkload,
} from './launchWorkload';
import { observe } from './observe/observation';
import {
  removeWorkload,
  restartWorkload,
  scaleWorkload,
  stopWorkload,
  type OperateDeps,
} from './operateWorkload';
import type { ImagePusher } from './registry/DockerEnginePusher';
import { shipImage } from './registry/shipImage';
import type { NamespaceWatch } from './wire/NamespaceWatch';
import {
  ANNOTATIONS,
  LABELS,
  RUNTIME_ID,
  fromHandle,
  toHandle,
  workloadName,
  type WorkloadRef,
} from './workload/names';

/*
 * The RunnerRuntime on Kubernetes: images shipped to the cluster's registry,
 * a Deployment (or a Job) with a Service per instance, observed through
 * informers, operated by patches, removed by label.
 */

export interface KubernetesRuntimeOptions {
  clusters: KubernetesClusterTarget[];
  defaultCluster?: string;
  /** Builds images (the Docker runtime's prepare: cached by content). */
  builder: Pick<RunnerRuntime, 'prepare'>;
  pusher: ImagePusher;
  logger: LoggerService;
  /** UID for images without a numeric non-root USER. Default 65534 (nobody). */
  fallbackUser?: number;
  /** Default 600. */
  progressDeadlineSeconds?: number;
  /** How long a finished Job (and its pods' logs) stays. Default 600. */
  jobTtlSeconds?: number;
  /** How long pods may take to go beyond their grace period on stop and remove. Default 30 s. */
  settleMs?: number;
}

export class KubernetesRuntime implements RunnerRuntime {
  readonly id = RUNTIME_ID;
  readonly #targets: ClusterTargets;
  /** Endpoints by handle id: a Service's ClusterIP never changes. */
  readonly #endpoints = new Map<string, InstancePort[]>();
  /** Grace period by handle id, for stop and remove. */
  readonly #grace = new Map<string, number>();

  constructor(private readonly options: KubernetesRuntimeOptions) {
    this.#targets = new ClusterTargets(options.clusters, options);
  }

  prepare(
    source: RuntimeSource,
    options: PrepareOptions,
  ): Promise<RuntimeArtifact> {
    const target = this.#targets.resolve(options.placement, source.entityName);
    return shipImage(
      {
        builder: this.options.builder,
        pusher: this.options.pusher,
        registry: target.registry,
        runtimeId: this.id,
      },
      source,
      options,
    );
  }

  async launch(
    artifact: RuntimeArtifact,
    spec: LaunchSpec,
  ): Promise<LaunchResult> {
    if (artifact.runtime !== this.id) {
      throw new TypeError(
        `an artifact of runtime '${artifact.runtime}' cannot run on Kubernetes`,
      );
    }
    const target = this.#targets.resolve(spec.placement, spec.entityName);
    const ref: WorkloadRef = {
      cluster: target.cluster,
      namespace: target.namespace,
      kind: spec.mode === 'job' ? 'job' : 'deployment',
      name: workloadName(spec.entityName, spec.instanceId),
      instanceId: spec.instanceId,
    };
    const handle = toHandle(ref);
    try {
      const endpoints = await launchWorkload(target, ref, artifact, spec, {
        fallbackUser: this.options.fallbackUser ?? 65534,
        imagePullSecret: target.registry.config.pullSecret,
        progressDeadlineSeconds: this.options.progressDeadlineSeconds ?? 600,
        jobTtlSeconds: this.options.jobTtlSeconds ?? 600,
      });
      // observe() right after launch sees the workload, not `gone`.
      const watch = await this.#targets.watch(ref.cluster, ref.namespace);
      await watch.waitFor(
        () => this.#workload(watch, ref) !== undefined,
        10_000,
      );
      this.#endpoints.set(handle.id, endpoints);
      this.#grace.set(handle.id, spec.stopTimeoutSeconds);
      return { handle, endpoints };
    } catch (error) {
      // Nothing half-made stays behind (without waiting on informers that
      // may be what failed).
      await discardWorkload(target, ref);
      throw error;
    }
  }

  observe(
    handle: RuntimeHandle,
    onObservation: (observation: RuntimeObservation) => void,
    options: ObserveOptions = {},
  ): RuntimeSubscription {
    const ref = fromHandle(handle);
    const state = {
      closed: false,
      unsubscribe: undefined as (() => void) | undefined,
    };
    void (async () => {
      // The informers may not start yet (API server down, RBAC being fixed): retry, growing.
      for (let attempt = 0; !state.closed; attempt++) {
        try {
          state.unsubscribe = await this.#subscribe(
            ref,
            onObservation,
            () => state.closed,
          );
          return;
        } catch (error) {
          options.onError?.(error as Error);
          await sleep(Math.min(30_000, 500 * 2 ** attempt));
        }
      }
    })();
    return {
      close: () => {
        state.closed = true;
        state.unsubscribe?.();
      },
    };
  }

  /** Emits the observation now and after every change of the instance's objects, when it differs. */
  async #subscribe(
    ref: WorkloadRef,
    onObservation: (observation: RuntimeObservation) => void,
    closed: () => boolean,
  ): Promise<() => void> {
    const watch = await this.#targets.watch(ref.cluster, ref.namespace);
    const endpoints = await this.#endpointsOf(ref);
    let last = '';
    const emit = () => {
      if (closed()) return;
      const observation = this.#observation(watch, ref, endpoints);
      const key = JSON.stringify({ ...observation, at: undefined });
      if (key === last) return;
      last = key;
      onObservation(observation);
    };
    const unsubscribe = watch.onChange((kind, object) => {
      if (
        kind === 'Event' ||
        object.metadata.labels?.[LABELS.instanceId] === ref.instanceId
      ) {
        emit();
      }
    });
    emit();
    return unsubscribe;
  }

  async stop(
    handle: RuntimeHandle,
    options: { timeoutSeconds?: number } = {},
  ): Promise<void> {
    await stopWorkload(
      await this.#operate(handle),
      options.timeoutSeconds ?? this.#graceOf(handle),
    );
  }

  async scale(handle: RuntimeHandle, replicas: number): Promise<void> {
    await scaleWorkload(await this.#operate(handle), replicas);
  }

  async restart(handle: RuntimeHandle): Promise<void> {
    await restartWorkload(await this.#operate(handle));
  }

  async remove(handle: RuntimeHandle): Promise<void> {
    await removeWorkload(await this.#operate(handle), this.#graceOf(handle));
    this.#endpoints.delete(handle.id);
    this.#grace.delete(handle.id);
  }

  async *logs(
    handle: RuntimeHandle,
    options: RuntimeLogOptions,
  ): AsyncIterable<RuntimeLogLine> {
    const { target, watch, ref } = await this.#operate(handle);
    const pods = watch
      .of('Pod', ref.instanceId)
      .sort((a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(
          String(b.metadata.creationTimestamp),
        ),
      )
      .map(p => p.metadata.name)
      .filter(name => !options.unit || name === options.unit);
    yield* podLogs(
      {
        http: target.http,
        cluster: ref.cluster,
        namespace: ref.namespace,
        pods,
      },
      options,
    );
  }

  async stats(handle: RuntimeHandle): Promise<RuntimeStatsSample[]> {
    const { target, watch, ref } = await this.#operate(handle);
    return podStats(target.http, ref.cluster, watch.of('Pod', ref.instanceId));
  }

  async adopt(selector: AdoptSelector): Promise<AdoptedWorkload[]> {
    const placements = selector.placements
      ? selector.placements.map(p => this.#targets.resolve(p))
      : this.#targets.placements();
    const adopted: AdoptedWorkload[] = [];
    for (const { cluster, namespace } of placements) {
      const watch = await this.#targets.watch(cluster, namespace);
      for (const workload of [
        ...watch.all('Deployment'),
        ...watch.all('Job'),
      ]) {
        const labels = workload.metadata.labels ?? {};
        const instanceId = labels[LABELS.instanceId];
        if (
          !instanceId ||
          labels[LABELS.installation] !== selector.installationId
        )
          continue;
        if (selector.instanceId && instanceId !== selector.instanceId) continue;
        const ref: WorkloadRef = {
          cluster,
          namespace,
          kind: workload.kind === 'Job' ? 'job' : 'deployment',
          name: workload.metadata.name,
          instanceId,
        };
        const annotations = workload.metadata.annotations ?? {};
        adopted.push({
          handle: toHandle(ref),
          instanceId,
          entityRef: annotations[ANNOTATIONS.entityRef] ?? '',
          configHash: annotations[ANNOTATIONS.configHash],
          cacheKey: annotations[ANNOTATIONS.cacheKey],
          observation: this.#observation(
            watch,
            ref,
            await this.#endpointsOf(ref),
          ),
        });
      }
    }
    return adopted;
  }

  /** Stops every informer and closes connections; the runtime is unusable afterwards. */
  async close(): Promise<void> {
    await this.#targets.close();
  }

  #workload(watch: NamespaceWatch, ref: WorkloadRef) {
    return watch
      .of(ref.kind === 'job' ? 'Job' : 'Deployment', ref.instanceId)
      .find(w => w.metadata.name === ref.name);
  }

  #observation(
    watch: NamespaceWatch,
    ref: WorkloadRef,
    endpoints: InstancePort[],
  ): RuntimeObservation {
    const workload = this.#workload(watch, ref);
    return observe(
      ref,
      {
        workload,
        pods: watch.of('Pod', ref.instanceId),
        replicaSets: watch.of('ReplicaSet', ref.instanceId),
        events: watch.all('Event'),
      },
      endpoints,
      {
        cluster: ref.cluster,
        namespace: ref.namespace,
        entityName:
          workload?.metadata.labels?.[LABELS.kubernetesId] ?? ref.name,
        image: workload?.spec?.template?.spec?.containers?.[0]?.image,
      },
    );
  }

  async #endpointsOf(ref: WorkloadRef): Promise<InstancePort[]> {
    const id = toHandle(ref).id;
    let endpoints = this.#endpoints.get(id);
    if (!endpoints) {
      endpoints = await endpointsFor(this.#targets.resolve(ref), ref);
      this.#endpoints.set(id, endpoints);
    }
    return endpoints;
  }

  #graceOf(handle: RuntimeHandle): number {
    return this.#grace.get(handle.id) ?? 30;
  }

  async #operate(handle: RuntimeHandle): Promise<OperateDeps> {
    const ref = fromHandle(handle);
    const target = this.#targets.resolve(ref);
    const watch = await this.#targets.watch(ref.cluster, ref.namespace);
    return { target, watch, ref, settleMs: this.options.settleMs ?? 30_000 };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
