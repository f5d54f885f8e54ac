import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import {
  ACTIVE_INSTANCE_STATES,
  isActiveInstanceState,
} from '@internal/plugin-runner-common';
import { RUNNER_LABELS, type ContainerState } from '../docker/types';
import type { InstanceService } from './InstanceService';
import type { InstanceStore } from './InstanceStore';
import type { DockerRuntime } from './ports';

export interface ReconcilerOptions {
  store: InstanceStore;
  docker: DockerRuntime;
  service: InstanceService;
  logger: LoggerService;
  entityOf(entityRef: string): Promise<Entity | undefined>;
  /**
   * A launch not running in this process and untouched for this long was cut
   * short (backend restart). Longer than any build, so a launch on another
   * backend replica is never taken for dead.
   */
  interruptedAfterMs: number;
  now?: () => number;
  /** Only containers carrying this installation id are this backend's to reap. */
  installationId: string;
  /**
   * Resolves the open alerts of instances that ended or went while no
   * backend watched (alerts/sweep.ts); returns how many it resolved.
   */
  sweepAlerts?: () => Promise<number>;
}

export interface ReconcileReport {
  adopted: number;
  exited: number;
  interrupted: number;
  stopped: number;
  reaped: number;
  /** Open alerts resolved because their instance no longer runs or exists. */
  alertsResolved: number;
}

/**
 * Makes the database and the engine agree after anything the event stream
 * may have missed: a backend restart, a daemon restart, a container removed
 * by hand. Runs at start-up, after every event-stream reconnect, and on the
 * scheduler (global scope).
 */
export class Reconciler {
  constructor(private readonly options: ReconcilerOptions) {}

  async reconcile(): Promise<ReconcileReport> {
    const { store, docker, service, logger } = this.options;
    const report: ReconcileReport = {
      adopted: 0,
      exited: 0,
      interrupted: 0,
      stopped: 0,
      reaped: 0,
      alertsResolved: 0,
    };
    const containers = await docker.listManaged();
    const byInstance = new Map<string, ContainerState>();
    for (const container of containers) {
      const id = container.labels[RUNNER_LABELS.instanceId];
      const ours =
        container.labels[RUNNER_LABELS.installation] ===
        this.options.installationId;
      if (id && ours) byInstance.set(id, container);
    }

    for (const instance of await store.list({
      states: [...ACTIVE_INSTANCE_STATES],
    })) {
      if (service.isInFlight(instance.id)) continue;
      const container = byInstance.get(instance.id);
      const entity = await this.options
        .entityOf(instance.entityRef)
        .catch(() => undefined);
      const config = entity && service.safeConfig(entity);
      switch (instance.state) {
        case 'running':
          if (container?.status === 'running') {
            await this.adopt(instance, container, entity);
            report.adopted++;
          } else {
            await service.steps.containerExited(instance.id, config);
            report.exited++;
          }
          break;
        case 'stopping':
          await service.steps.finishStop(instance.id, config);
          report.stopped++;
          break;
        default:
          // pending, building, starting: only a launch in some process moves these.
          if (this.age(instance) > this.options.interruptedAfterMs) {
            const error = Object.assign(
              new Error(
                `the backend restarted while this instance was ${instance.state}; start it again`,
              ),
              { name: 'LaunchInterruptedError' },
            );
            await service.steps.fail(
              instance.id,
              error,
              {
                operation: instance.state === 'building' ? 'build' : 'run',
                entityRef: instance.entityRef,
                secrets: [],
              },
              config,
            );
            report.interrupted++;
          }
      }
    }

    // Containers whose instance is gone or finished: nobody will stop them.
    for (const [id, container] of byInstance) {
      const instance = await store.get(id);
      if (instance && isActiveInstanceState(instance.state)) continue;
      if (instance?.state !== undefined && service.isInFlight(id)) continue;
      logger.info(
        `Removing orphaned runner container ${
          container.name
        } (instance ${id} is ${instance?.state ?? 'unknown'})`,
      );
      await docker
        .remove(container.id)
        .catch(error =>
          logger.warn(`could not remove ${container.id}: ${error}`),
        );
      report.reaped++;
    }

    // Last, so the instances failed above are swept too.
    if (this.options.sweepAlerts) {
      report.alertsResolved = await this.options.sweepAlerts().catch(error => {
        logger.warn(`runner alerts sweep: ${error}`);
        return 0;
      });
    }
    return report;
  }

  private async adopt(
    instance: RunnerInstance,
    container: ContainerState,
    entity?: Entity,
  ) {
    if (instance.containerId !== container.id) {
      await this.options.store.update(instance.id, {
        containerId: container.id,
        ports: container.ports,
      });
    }
    const current = (await this.options.store.get(instance.id))!;
    if (
      current.runDeadline &&
      new Date(current.runDeadline).getTime() <= this.now()
    ) {
      const timeoutMs =
        new Date(current.runDeadline).getTime() -
        new Date(current.startedAt ?? current.createdAt).getTime();
      await this.options.service.steps.runTimedOut(
        instance.id,
        timeoutMs,
        entity && this.options.service.safeConfig(entity),
      );
      return;
    }
    this.options.service.armRunTimeout(current, entity);
  }

  private age(instance: RunnerInstance): number {
    return this.now() - new Date(instance.updatedAt).getTime();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
