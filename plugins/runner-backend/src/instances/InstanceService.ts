import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  InstanceEvent,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { isActiveInstanceState } from '@internal/plugin-runner-common';
import type { EffectiveComponentConfig } from '../config/types';
import type { ContainerEvent } from '../docker/types';
import { RUNNER_LABELS } from '../docker/types';
import type { LogStream } from './InstanceStore';
import { InstanceLifecycle, type LifecycleDeps } from './InstanceLifecycle';
import type { EffectiveConfigResolver } from './ports';
import { runnableConfig } from './runnable';

export interface InstanceServiceOptions extends LifecycleDeps {
  resolveConfig: EffectiveConfigResolver;
  configHash(config: EffectiveComponentConfig): string;
  /** How often a following build-log reader looks for new lines. */
  logPollMs?: number;
  /** Called after an instance and its history are deleted. */
  onRemoved?: (id: string) => void;
}

/**
 * The runner's domain: start, stop, restart and remove instances of catalog
 * components, and keep their state true when containers exit. Routes call
 * it after authorizing; it never sees HTTP.
 */
export class InstanceService {
  private readonly lifecycle: InstanceLifecycle;
  /** Launches running in this process, so shutdown and tests can await them. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly runTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: InstanceServiceOptions) {
    this.lifecycle = new InstanceLifecycle(options);
  }

  /** The merged config of a component; throws InputError for bad annotations. */
  effectiveConfig(entity: Entity): EffectiveComponentConfig {
    return this.options.resolveConfig(entity);
  }

  /**
   * Creates an instance and launches it off the request. An entity that
   * cannot run is refused with an InputError before anything is stored.
   */
  async start(entity: Entity, createdBy?: string): Promise<RunnerInstance> {
    const config = await this.runnableConfig(entity);
    const configHash = this.options.configHash(config);
    const instance = await this.options.store.create({
      id: randomUUID(),
      entityRef: stringifyEntityRef(entity),
      createdBy,
      configHash,
      maxActive: config.docker.maxInstancesPerEntity,
    });
    this.options.onChange?.(instance);
    this.track(
      instance.id,
      this.lifecycle.launch(instance.id, entity, config, configHash),
      entity,
    );
    return instance;
  }

  async get(id: string): Promise<RunnerInstance> {
    const instance = await this.options.store.get(id);
    if (!instance)
      throw new NotFoundError(`No runner instance with id '${id}'`);
    return instance;
  }

  list(entityRef: string): Promise<RunnerInstance[]> {
    return this.options.store.list({ entityRef });
  }

  async events(id: string): Promise<InstanceEvent[]> {
    await this.get(id);
    return this.options.store.events(id);
  }

  /**
   * Stops an active instance. A running container is stopped now; a launch in
   * progress notices the `stopping` state at its next step and finishes the stop.
   */
  async stop(id: string, entity?: Entity): Promise<RunnerInstance> {
    const instance = await this.get(id);
    if (!isActiveInstanceState(instance.state)) {
      throw new ConflictError(`Instance ${id} is already ${instance.state}`);
    }
    this.clearRunTimer(id);
    const stopping =
      instance.state === 'stopping'
        ? instance
        : await this.lifecycle.transition(
            id,
            ['pending', 'building', 'starting', 'running'],
            'stopping',
            {},
            'stop requested',
          );
    if (!stopping) return this.stop(id, entity); // it moved meanwhile; look again
    if (stopping.containerId || !this.inFlight.has(id)) {
      await this.lifecycle.finishStop(id, entity && this.safeConfig(entity));
    }
    return this.get(id);
  }

  /** Stops the instance if needed and launches it again with the current source and config. */
  async restart(id: string, entity: Entity): Promise<RunnerInstance> {
    let instance = await this.get(id);
    // Checked first: a restart that cannot launch must not stop what runs.
    const config = await this.runnableConfig(entity);
    if (isActiveInstanceState(instance.state)) {
      await this.stop(id, entity);
      await this.inFlight.get(id);
      instance = await this.get(id);
    }
    const configHash = this.options.configHash(config);
    await this.options.store.acquireSlot(
      id,
      instance.entityRef,
      config.docker.maxInstancesPerEntity,
    );
    const pending = await this.lifecycle.transition(
      id,
      ['stopped', 'failed'],
      'pending',
      {
        configHash,
        failure: null,
        exitCode: null,
        oomKilled: false,
        containerId: null,
        ports: [],
        stoppedAt: null,
      },
      'restart requested',
    );
    if (!pending) {
      await this.options.store.releaseSlot(id);
      throw new ConflictError(
        `Instance ${id} changed state during the restart; try again`,
      );
    }
    this.track(
      id,
      this.lifecycle.launch(id, entity, config, configHash, instance.ports),
      entity,
    );
    return pending;
  }

  /** Stops (if needed) and forgets an instance, with its logs and history. */
  async remove(id: string, entity?: Entity): Promise<void> {
    const instance = await this.get(id);
    if (isActiveInstanceState(instance.state)) {
      await this.stop(id, entity);
      await this.inFlight.get(id);
    }
    await this.options.store.delete(id);
    this.options.onRemoved?.(id);
  }

  /**
   * Build logs come from the database (kept after the build); run logs from the
   * container while it exists, else the lines kept when it was removed.
   */
  async logs(
    id: string,
    stream: LogStream,
    options: { tail?: number; follow: boolean },
  ): Promise<Readable> {
    const instance = await this.get(id);
    if (
      stream === 'run' &&
      instance.containerId &&
      instance.state === 'running'
    ) {
      const elsewhere = this.lifecycle.others?.logs(instance.containerId, {
        follow: options.follow,
        tail: options.tail ?? 'all',
      });
      if (elsewhere) return elsewhere;
      return this.options.docker.logs(instance.containerId, {
        follow: options.follow,
        tail: options.tail ?? 'all',
      });
    }
    const stored = await this.options.store.readLogs(id, stream, {
      tail: options.tail,
    });
    const following =
      options.follow &&
      stream === 'build' &&
      ['pending', 'building'].includes(instance.state);
    if (!following) {
      return Readable.from(stored.map(l => `${l.line}\n`));
    }
    return Readable.from(this.followBuildLog(id, stored));
  }

  private async *followBuildLog(
    id: string,
    initial: { id: number; line: string }[],
  ) {
    let lastId = 0;
    for (const line of initial) {
      lastId = line.id;
      yield `${line.line}\n`;
    }
    for (;;) {
      const fresh = await this.options.store.readLogs(id, 'build', {
        afterId: lastId,
      });
      for (const line of fresh) {
        lastId = line.id;
        yield `${line.line}\n`;
      }
      const instance = await this.options.store.get(id);
      if (!instance || !['pending', 'building'].includes(instance.state)) {
        if (fresh.length === 0) return;
        continue; // drain what the build wrote last
      }
      await new Promise(resolve =>
        setTimeout(resolve, this.options.logPollMs ?? 500),
      );
    }
  }

  async stats(id: string): Promise<unknown> {
    const instance = await this.get(id);
    if (instance.state !== 'running' || !instance.containerId) {
      throw new ConflictError(
        `Instance ${id} is ${instance.state}; stats exist only while it runs`,
      );
    }
    return this.options.docker.statsOnce(instance.containerId);
  }

  /** Reacts to Docker events for containers the runner owns. */
  async handleContainerEvent(
    event: ContainerEvent,
    entityOf?: (ref: string) => Promise<Entity | undefined>,
  ) {
    const id = event.labels[RUNNER_LABELS.instanceId];
    // `die` covers every exit (OOM kills included); a container removed
    // without dying is caught by the reconciler.
    if (!id || event.action !== 'die') return;
    const instance = await this.options.store.get(id);
    if (!instance || instance.state !== 'running') return;
    this.clearRunTimer(id);
    const entity = entityOf && (await entityOf(instance.entityRef));
    await this.lifecycle.containerExited(
      id,
      entity ? this.safeConfig(entity) : undefined,
    );
  }

  /** Arms the run timeout of a running instance (also after a backend restart). */
  armRunTimeout(instance: RunnerInstance, entity?: Entity): void {
    if (
      !instance.runDeadline ||
      instance.state !== 'running' ||
      this.runTimers.has(instance.id)
    )
      return;
    const deadline = new Date(instance.runDeadline).getTime();
    const timeoutMs =
      deadline - new Date(instance.startedAt ?? instance.createdAt).getTime();
    const timer = setTimeout(() => {
      this.runTimers.delete(instance.id);
      this.track(
        instance.id,
        this.lifecycle.runTimedOut(
          instance.id,
          timeoutMs,
          entity && this.safeConfig(entity),
        ),
      );
    }, Math.max(0, deadline - Date.now()));
    timer.unref?.();
    this.runTimers.set(instance.id, timer);
  }

  /** Whether a launch or stop for this instance runs in this process. */
  isInFlight(id: string): boolean {
    return this.inFlight.has(id);
  }

  /** The Docker-facing steps, for the reconciler. */
  get steps(): InstanceLifecycle {
    return this.lifecycle;
  }

  /** Waits for launches in progress; used by tests and at shutdown. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight.values()]);
    }
  }

  async shutdown(): Promise<void> {
    for (const timer of this.runTimers.values()) clearTimeout(timer);
    this.runTimers.clear();
    await this.settle();
  }

  private track(id: string, work: Promise<void>, entity?: Entity): void {
    const tracked = work
      .catch(error =>
        this.options.logger.error(`runner instance ${id}: ${error}`),
      )
      .then(async () => {
        this.inFlight.delete(id);
        const instance = await this.options.store
          .get(id)
          .catch(() => undefined);
        if (instance?.state === 'running') this.armRunTimeout(instance, entity);
      });
    this.inFlight.set(id, tracked);
  }

  clearRunTimer(id: string): void {
    const timer = this.runTimers.get(id);
    if (timer) clearTimeout(timer);
    this.runTimers.delete(id);
  }

  private runnableConfig(entity: Entity): Promise<EffectiveComponentConfig> {
    return runnableConfig(
      entity,
      this.options.resolveConfig,
      this.options.sources,
    );
  }

  /** Config for clean-up decisions; a component whose annotations broke meanwhile gets defaults. */
  safeConfig(entity: Entity): EffectiveComponentConfig | undefined {
    try {
      return this.options.resolveConfig(entity);
    } catch (error) {
      if (error instanceof InputError) return undefined;
      throw error;
    }
  }
}
