import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  CategorizedError,
  InstancePort,
  InstanceState,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { EffectiveComponentConfig } from '../config/types';
import { RUNNER_LABELS, RunnerTimeoutError } from '../docker/types';
import type { ComponentSources, SourceTree } from '../sources/types';
import type { InstancePatch, InstanceStore } from './InstanceStore';
import { LogBuffer } from './LogBuffer';
import { unrequestedExit } from './exitCause';
import { movedPortsMessage, preferPreviousPorts } from './stablePorts';
import type { DockerRuntime, FailureClassifier, FailureContext } from './ports';
import {
  RuntimeLaunches,
  handleOf,
  type RuntimeLaunchDeps,
} from './runtimeLaunch';

export interface LifecycleDeps {
  store: InstanceStore;
  docker: DockerRuntime;
  sources: ComponentSources;
  classify: FailureClassifier;
  logger: LoggerService;
  /** Called after every state change, e.g. to push it to open pages. */
  onChange?: (instance: RunnerInstance) => void;
  /** Called once for every failure, e.g. to keep error history and raise alerts. */
  onFailure?: (instance: RunnerInstance, failure: CategorizedError) => void;
  /** Seconds Docker waits after SIGTERM before SIGKILL. */
  stopTimeoutSeconds: number;
  /** This installation's id, put on every container (see RUNNER_LABELS.installation). */
  installationId: string;
  /** Runtimes besides the Docker engine (Kubernetes), and which one an entity uses. */
  runtimes?: RuntimeLaunchDeps;
}

/** Lines of run output kept in the database when a container is removed. */
const RUN_LOG_LINES_KEPT = 200;

/** `backstage-runner/<name>:<key>`: readable in `docker images`, unique per content. */
export function imageTagFor(entity: Entity, cacheKey: string): string {
  const name = entity.metadata.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  return `backstage-runner/${name}:${cacheKey.slice(0, 12)}`;
}

function containerNameFor(entity: Entity, instanceId: string): string {
  const name = entity.metadata.name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return `runner-${name}-${instanceId.slice(0, 8)}`;
}

/**
 * The steps of an instance's life that touch Docker: launch (source → build
 * → run), exit, stop and clean-up. InstanceService decides when; this class
 * knows how, and keeps the store true at every step.
 */
export class InstanceLifecycle {
  /** Instances on other runtimes; Docker instances never reach it. */
  readonly others?: RuntimeLaunches;

  constructor(private readonly deps: LifecycleDeps) {
    if (deps.runtimes) {
      this.others = new RuntimeLaunches(deps, deps.runtimes, this);
    }
  }

  async transition(
    id: string,
    from: readonly InstanceState[],
    to: InstanceState,
    patch?: InstancePatch,
    message?: string,
  ): Promise<RunnerInstance | undefined> {
    const instance = await this.deps.store.transition(
      id,
      from,
      to,
      patch,
      message,
    );
    if (instance) this.deps.onChange?.(instance);
    return instance;
  }

  /** Source → cache key → build (unless cached) → hardened container. */
  async launch(
    id: string,
    entity: Entity,
    config: EffectiveComponentConfig,
    configHash: string,
    /** The host ports the instance published before (a restart keeps them if it can). */
    previousPorts: InstancePort[] = [],
  ): Promise<void> {
    const { store, docker, sources } = this.deps;
    const entityRef = stringifyEntityRef(entity);
    if (await this.others?.launchElsewhere(id, entity, config, configHash)) {
      return;
    }
    let stage: FailureContext['operation'] = 'source';
    let tree: SourceTree | undefined;
    try {
      tree = await sources.fetch(entity, config.build.context);
      const cacheKey = await sources.cacheKey(
        {
          contextDir: tree.contextDir,
          dockerfile: config.build.dockerfile,
          buildArgs: config.build.buildArgs,
          target: config.build.target,
        },
        config.docker.maxContextBytes,
      );

      let imageId = await docker.findImage(cacheKey);
      if (imageId) {
        await store.appendLogs(id, 'build', [
          `Image ${imageId} already built from this source (cache key ${cacheKey}); build skipped`,
        ]);
        if (
          !(await this.transition(
            id,
            ['pending'],
            'starting',
            { cacheKey, imageId },
            'build cache hit',
          ))
        ) {
          await this.finishStop(id);
          return;
        }
      } else {
        stage = 'build';
        if (
          !(await this.transition(id, ['pending'], 'building', { cacheKey }))
        ) {
          await this.finishStop(id);
          return;
        }
        const buildLog = new LogBuffer(store, id, 'build');
        try {
          const result = await docker.build({
            context: sources.pack(tree.contextDir, config.build.dockerfile),
            dockerfile: config.build.dockerfile,
            buildArgs: config.build.buildArgs,
            target: config.build.target,
            tag: imageTagFor(entity, cacheKey),
            // No `managed` label on images: containers inherit image labels,
            // and a container someone starts by hand is not the runner's.
            // The installation's: only it prunes the image (retention/).
            labels: {
              [RUNNER_LABELS.entityRef]: entityRef,
              [RUNNER_LABELS.cacheKey]: cacheKey,
              [RUNNER_LABELS.installation]: this.deps.installationId,
            },
            timeoutMs: config.docker.buildTimeoutMs,
            onLog: line => buildLog.push(line),
          });
          imageId = result.imageId;
        } finally {
          await buildLog.flush();
        }
        if (
          !(await this.transition(id, ['building'], 'starting', { imageId }))
        ) {
          await this.finishStop(id);
          return;
        }
      }

      stage = 'run';
      const container = await docker.run({
        image: imageId,
        name: containerNameFor(entity, id),
        labels: {
          [RUNNER_LABELS.managed]: 'true',
          [RUNNER_LABELS.entityRef]: entityRef,
          [RUNNER_LABELS.instanceId]: id,
          [RUNNER_LABELS.cacheKey]: cacheKey,
          [RUNNER_LABELS.configHash]: configHash,
          [RUNNER_LABELS.installation]: this.deps.installationId,
        },
        env: { ...config.run.env, ...config.run.secretEnv },
        ports: preferPreviousPorts(config.run.ports, previousPorts),
        limits: config.docker.resourceLimits,
        readOnlyRootfs: config.docker.readOnlyRootfs,
        securityOptions: config.docker.securityOptions,
        logRotation: config.docker.logRotation,
      });
      const startedAt = new Date();
      const running = await this.transition(
        id,
        ['starting'],
        'running',
        {
          containerId: container.id,
          ports: container.ports,
          startedAt,
          runDeadline: config.docker.runTimeoutMs
            ? new Date(startedAt.getTime() + config.docker.runTimeoutMs)
            : null,
        },
        movedPortsMessage(previousPorts, container.ports),
      );
      if (!running) {
        // Stopped while the container was being created.
        await store.update(id, { containerId: container.id });
        await this.finishStop(id);
      }
    } catch (error) {
      await this.fail(
        id,
        error,
        {
          operation: stage,
          entityRef,
          secrets: Object.values(config.run.secretEnv),
        },
        config,
      );
    } finally {
      await tree?.cleanup().catch(() => undefined);
    }
  }

  /** Marks the instance failed with a categorized error and cleans up. */
  async fail(
    id: string,
    error: unknown,
    context: FailureContext,
    config?: EffectiveComponentConfig,
  ): Promise<void> {
    const failure = this.deps.classify(error, context);
    this.deps.logger.warn(
      `Instance ${id} of ${context.entityRef} failed: ${failure.code}: ${failure.userMessage}`,
    );
    const instance = await this.deps.store.get(id);
    if (!instance) return;
    const handle = handleOf(instance.containerId);
    if (handle) {
      await this.others?.remove(id, handle);
    } else if (instance.containerId) {
      await this.removeContainer(id, instance.containerId);
    }
    const failed = await this.transition(
      id,
      ['pending', 'building', 'starting', 'running', 'stopping'],
      'failed',
      { failure, stoppedAt: new Date() },
      failure.userMessage,
    );
    if (failed) this.deps.onFailure?.(failed, failure);
    const policy = config?.docker.imageCleanupPolicy;
    if (instance.imageId && (policy === 'always' || policy === 'on-error')) {
      await this.removeImage(instance.imageId);
    }
  }

  /**
   * A running container stopped without the runner asking (Docker event or
   * reconciler). Always a failure: an instance ends `stopped` only when
   * someone stops it. unrequestedExit() says why it stopped.
   */
  async containerExited(
    id: string,
    config?: EffectiveComponentConfig,
  ): Promise<void> {
    const instance = await this.deps.store.get(id);
    if (!instance || instance.state !== 'running' || !instance.containerId)
      return;
    // Other runtimes report their own ends (RuntimeLaunches.observe).
    if (handleOf(instance.containerId)) return;
    const state = await this.deps.docker.inspect(instance.containerId);
    if (state?.status === 'running') return;
    // Claim the exit in the database: the event stream, the reconciler and
    // other backend replicas may all notice it, and only one may clean up.
    const claimed = await this.transition(
      id,
      ['running'],
      'stopping',
      {
        exitCode: state?.exitCode ?? null,
        oomKilled: state?.oomKilled ?? false,
      },
      state ? 'container exited' : 'container gone',
    );
    if (!claimed) return;
    // Asked at once: an engine shutting down is only briefly recognizable.
    const error = await unrequestedExit(this.deps.docker, instance, state);
    await this.fail(
      id,
      error,
      {
        operation: 'run',
        entityRef: instance.entityRef,
        // The failure quotes the container's last lines, which may print them.
        secrets: config ? Object.values(config.run.secretEnv) : [],
      },
      config,
    );
  }

  /** Stops and removes the container of an instance in `stopping`, then marks it stopped. */
  async finishStop(
    id: string,
    config?: EffectiveComponentConfig,
  ): Promise<void> {
    const instance = await this.deps.store.get(id);
    if (!instance || instance.state !== 'stopping') return;
    let exitCode: number | null = null;
    const handle = handleOf(instance.containerId);
    if (handle) {
      await this.others?.remove(id, handle);
    } else if (instance.containerId) {
      try {
        await this.deps.docker.stop(
          instance.containerId,
          this.deps.stopTimeoutSeconds,
        );
      } catch (error) {
        this.deps.logger.debug(`stop of ${instance.containerId}: ${error}`);
      }
      exitCode =
        (await this.deps.docker.inspect(instance.containerId))?.exitCode ??
        null;
      await this.removeContainer(id, instance.containerId);
    }
    await this.transition(
      id,
      ['stopping'],
      'stopped',
      { exitCode, stoppedAt: new Date() },
      'stopped',
    );
    if (instance.imageId && config?.docker.imageCleanupPolicy === 'always') {
      await this.removeImage(instance.imageId);
    }
  }

  /** The run timeout: stop, then record the timeout as the failure. */
  async runTimedOut(
    id: string,
    timeoutMs: number,
    config?: EffectiveComponentConfig,
  ): Promise<void> {
    const instance = await this.transition(
      id,
      ['running'],
      'stopping',
      {},
      'run timeout reached',
    );
    if (!instance) return;
    if (instance.containerId && !handleOf(instance.containerId)) {
      // Stop gracefully first; fail() would otherwise kill it outright.
      await this.deps.docker
        .stop(instance.containerId, this.deps.stopTimeoutSeconds)
        .catch(() => undefined);
    }
    await this.fail(
      id,
      new RunnerTimeoutError('run', timeoutMs),
      { operation: 'run', entityRef: instance.entityRef, secrets: [] },
      config,
    );
  }

  /** Keeps the last lines of output, then removes the container (its ports are freed). */
  private async removeContainer(
    id: string,
    containerId: string,
  ): Promise<void> {
    try {
      const lines = await readLines(
        this.deps.docker.logs(containerId, {
          follow: false,
          tail: RUN_LOG_LINES_KEPT,
        }),
      );
      await this.deps.store.appendLogs(id, 'run', lines);
    } catch (error) {
      this.deps.logger.debug(
        `could not keep the logs of ${containerId}: ${error}`,
      );
    }
    try {
      await this.deps.docker.remove(containerId);
    } catch (error) {
      this.deps.logger.warn(
        `could not remove container ${containerId}: ${error}`,
      );
    }
  }

  private async removeImage(imageId: string): Promise<void> {
    try {
      const result = await this.deps.docker.removeImage(imageId);
      if (!result.removed && result.reason === 'in-use') {
        this.deps.logger.info(`kept image ${imageId}: ${result.message}`);
      }
    } catch (error) {
      this.deps.logger.warn(`could not remove image ${imageId}: ${error}`);
    }
  }
}

/** Lines of a log stream whose chunks are lines, with or without their newline. */
async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  for await (const chunk of stream) {
    lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((line: string) => line.length > 0),
    );
  }
  return lines;
}
