import { Readable } from 'node:stream';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  isRuntimeError,
  type RunnerRuntime,
  type RuntimeHandle,
  type RuntimeSubscription,
} from '@internal/plugin-runner-node';
import type { RuntimeChoice } from '../config/runtimeChoice';
import type { EffectiveComponentConfig } from '../config/types';
import type { SourceTree } from '../sources/types';
import type { InstanceLifecycle, LifecycleDeps } from './InstanceLifecycle';
import { LogBuffer } from './LogBuffer';
import type { FailureContext } from './ports';

/*
 * The launch, stop and failure steps of an instance whose component runs on
 * a RunnerRuntime other than the Docker engine beside the backend (today:
 * Kubernetes). The Docker path stays in InstanceLifecycle, unchanged.
 *
 * The instance row keeps the runtime's handle in `containerId` as
 * `<runtime>:<id>`: a Docker container id never holds a colon, so rows
 * written before runtimes existed read as Docker containers.
 */

export interface RuntimeLaunchDeps {
  /** Runtimes by id, Docker excluded. */
  runtimes: Map<string, RunnerRuntime>;
  choose(entity: Entity): RuntimeChoice;
}

/** The handle a row's `containerId` holds, or undefined for a Docker container id. */
export function handleOf(
  containerId: string | null | undefined,
): RuntimeHandle | undefined {
  const at = containerId?.indexOf(':') ?? -1;
  if (!containerId || at <= 0) return undefined;
  return { runtime: containerId.slice(0, at), id: containerId.slice(at + 1) };
}

export class RuntimeLaunches {
  readonly #observing = new Map<string, RuntimeSubscription>();

  constructor(
    private readonly deps: LifecycleDeps,
    private readonly available: RuntimeLaunchDeps,
    private readonly steps: InstanceLifecycle,
  ) {}

  /** The runtime that runs the entity, when it is not the Docker engine. */
  runtimeFor(
    entity: Entity,
  ): { runtime: RunnerRuntime; choice: RuntimeChoice } | undefined {
    const choice = this.available.choose(entity);
    const runtime = this.available.runtimes.get(choice.runtime);
    if (choice.runtime === 'docker') return undefined;
    if (!runtime) {
      throw new Error(
        `runtime '${choice.runtime}' is chosen (${choice.reason}) but not available in this backend`,
      );
    }
    return { runtime, choice };
  }

  /**
   * Launches the instance on its runtime when that is not the Docker engine;
   * false leaves it to the Docker path. A choice that cannot be met fails it.
   */
  async launchElsewhere(
    id: string,
    entity: Entity,
    config: EffectiveComponentConfig,
    configHash: string,
  ): Promise<boolean> {
    let target;
    try {
      target = this.runtimeFor(entity);
    } catch (error) {
      const entityRef = stringifyEntityRef(entity);
      await this.steps.fail(id, error, {
        operation: 'source',
        entityRef,
        secrets: [],
      });
      return true;
    }
    if (!target) return false;
    await this.launch(id, entity, config, configHash, target);
    return true;
  }

  /** Source → cache key → prepare (build, push) → launch → observe. */
  async launch(
    id: string,
    entity: Entity,
    config: EffectiveComponentConfig,
    configHash: string,
    target: { runtime: RunnerRuntime; choice: RuntimeChoice },
  ): Promise<void> {
    const { store, sources } = this.deps;
    const { runtime, choice } = target;
    const entityRef = stringifyEntityRef(entity);
    let stage: FailureContext['operation'] = 'source';
    let tree: SourceTree | undefined;
    try {
      tree = await sources.fetch(entity, config.build.context);
      const contextDir = tree.contextDir;
      const cacheKey = await sources.cacheKey(
        {
          contextDir,
          dockerfile: config.build.dockerfile,
          buildArgs: config.build.buildArgs,
          target: config.build.target,
        },
        config.docker.maxContextBytes,
      );
      stage = 'build';
      if (
        !(await this.steps.transition(id, ['pending'], 'building', {
          cacheKey,
        }))
      ) {
        await this.steps.finishStop(id);
        return;
      }
      const buildLog = new LogBuffer(store, id, 'build');
      let artifact;
      try {
        artifact = await runtime.prepare(
          {
            entityRef,
            entityName: entity.metadata.name,
            cacheKey,
            context: () => sources.pack(contextDir, config.build.dockerfile),
          },
          {
            build: {
              dockerfile: config.build.dockerfile,
              buildArgs: config.build.buildArgs,
              target: config.build.target,
              timeoutMs: config.docker.buildTimeoutMs,
            },
            placement: choice.placement,
            onLog: line => buildLog.push(line),
          },
        );
      } finally {
        await buildLog.flush();
      }
      if (
        !(await this.steps.transition(id, ['building'], 'starting', {
          imageId: artifact.image,
        }))
      ) {
        await this.steps.finishStop(id);
        return;
      }
      stage = 'run';
      const { handle, endpoints } = await runtime.launch(artifact, {
        instanceId: id,
        entityRef,
        entityName: entity.metadata.name,
        installationId: this.deps.installationId,
        configHash,
        env: config.run.env,
        secretEnv: config.run.secretEnv,
        ports: config.run.ports,
        healthPath: config.run.healthPath,
        resources: config.docker.resourceLimits,
        readOnlyRootFilesystem: config.docker.readOnlyRootfs,
        stopTimeoutSeconds: this.deps.stopTimeoutSeconds,
        runTimeoutMs: config.docker.runTimeoutMs,
        replicas: choice.replicas,
        placement: choice.placement,
      });
      const containerId = `${handle.runtime}:${handle.id}`;
      const startedAt = new Date();
      const running = await this.steps.transition(id, ['starting'], 'running', {
        containerId,
        ports: endpoints,
        startedAt,
      });
      if (!running) {
        await store.update(id, { containerId });
        await this.steps.finishStop(id);
        return;
      }
      this.observe(id, entityRef, handle, runtime);
    } catch (error) {
      await this.steps.fail(id, error, {
        operation: stage,
        entityRef,
        secrets: Object.values(config.run.secretEnv),
      });
    } finally {
      await tree?.cleanup().catch(() => undefined);
    }
  }

  /** A workload that fails or ends by itself fails the instance, with the runtime's categorized failure. */
  private observe(
    id: string,
    entityRef: string,
    handle: RuntimeHandle,
    runtime: RunnerRuntime,
  ): void {
    const subscription = runtime.observe(
      handle,
      observation => {
        if (!['failed', 'exited', 'gone'].includes(observation.state)) return;
        this.unobserve(id);
        const error =
          observation.failure ??
          new Error(
            `the workload ${observation.state}${
              observation.message ? `: ${observation.message}` : ''
            }`,
          );
        this.steps
          .transition(
            id,
            ['running'],
            'stopping',
            {
              exitCode: observation.exit?.code ?? null,
              oomKilled: observation.exit?.oomKilled ?? false,
            },
            `workload ${observation.state}`,
          )
          .then(claimed =>
            claimed
              ? this.steps.fail(id, error, {
                  operation: 'run',
                  entityRef,
                  secrets: [],
                })
              : undefined,
          )
          .catch(e => this.deps.logger.warn(`instance ${id}: ${e}`));
      },
      { onError: e => this.deps.logger.debug(`observing ${handle.id}: ${e}`) },
    );
    this.#observing.set(id, subscription);
  }

  private unobserve(id: string): void {
    this.#observing.get(id)?.close();
    this.#observing.delete(id);
  }

  /** Removes the workload (verified gone), keeping its last output lines. */
  async remove(id: string, handle: RuntimeHandle): Promise<void> {
    this.unobserve(id);
    const runtime = this.available.runtimes.get(handle.runtime);
    if (!runtime) {
      this.deps.logger.warn(
        `no runtime '${handle.runtime}' to remove ${handle.id}`,
      );
      return;
    }
    try {
      const lines: string[] = [];
      for await (const line of runtime.logs(handle, {
        follow: false,
        tail: 200,
      })) {
        lines.push(line.line);
      }
      await this.deps.store.appendLogs(id, 'run', lines);
    } catch (error) {
      this.deps.logger.debug(
        `could not keep the logs of ${handle.id}: ${error}`,
      );
    }
    try {
      await runtime.remove(handle);
    } catch (error) {
      this.deps.logger.warn(`could not remove ${handle.id}: ${error}`);
    }
  }

  /** A running workload's output (every unit, as lines), or undefined for a Docker container. */
  logs(
    containerId: string,
    options: { follow: boolean; tail: number | 'all' },
  ): Readable | undefined {
    const handle = handleOf(containerId);
    const runtime = handle && this.available.runtimes.get(handle.runtime);
    if (!handle || !runtime) return undefined;
    const lines = runtime.logs(handle, options);
    return Readable.from(
      (async function* () {
        for await (const line of lines) yield `${line.line}\n`;
      })(),
    );
  }

  close(): void {
    for (const id of [...this.#observing.keys()]) this.unobserve(id);
  }
}

/** A RuntimeError's failure is already categorized: it passes through unchanged. */
export function passRuntimeFailures(
  classify: LifecycleDeps['classify'],
): LifecycleDeps['classify'] {
  return (error, context) => {
    if (isRuntimeError(error)) return error.failure;
    if (isCategorized(error)) return error;
    return classify(error, context);
  };
}

function isCategorized(
  error: unknown,
): error is ReturnType<LifecycleDeps['classify']> {
  return (
    typeof error === 'object' &&
    error !== null &&
    !(error instanceof Error) &&
    'code' in error &&
    'userMessage' in error
  );
}
