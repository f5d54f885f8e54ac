import type {
  HealthCheck,
  InstanceHealth,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { ContainerState, DockerRuntime } from '../docker/types';
import type { InstanceStore } from '../instances/InstanceStore';
import { mapSettledBounded } from './bounded';
import type { HealthCheckStore } from './HealthCheckStore';
import { httpProbe } from './httpProbe';

export interface HealthProberOptions {
  /** Called after every recorded check, e.g. to feed alert rules. Must not throw. */
  onCheck?: (instance: RunnerInstance, check: HealthCheck) => void;
  instances: Pick<InstanceStore, 'list' | 'events'>;
  docker: Pick<DockerRuntime, 'inspect'>;
  checks: HealthCheckStore;
  /** OOM kills in the error history (ErrorStore); without it only the last container's OOM flag counts. */
  errors?: {
    countForInstance(instanceId: string, code: string): Promise<number>;
  };
  /**
   * The health path of the instance's component (effective config
   * `run.healthPath`: annotation `runner.backstage.io/health-path` or
   * `runner.components`), or undefined when none is configured.
   */
  healthPathOf(instance: RunnerInstance): Promise<string | undefined>;
  /** `runner.monitoring.health.timeout`. */
  timeoutMs: number;
  /** `runner.monitoring.health.startPeriod`. */
  startPeriodMs: number;
  /** Instances probed at once by `probeAll()`. Default 8. */
  concurrency?: number;
  now?: () => number;
}

type Verdict = Omit<HealthCheck, 'at'>;

const WAITING_STATES = new Set(['pending', 'building', 'starting']);

function describeExit(exitCode: number | null | undefined, oom: boolean) {
  if (oom) return 'killed for exceeding its memory limit (OOM)';
  if (exitCode === null || exitCode === undefined) return 'not running';
  return `exited with code ${exitCode}`;
}

/**
 * Health of instances: the container's Docker HEALTHCHECK status when the
 * image defines one, else an HTTP GET of the component's health path through
 * its published 127.0.0.1 port. Not running is `stopped`, never `unhealthy`:
 * a stopped or crashed container is reported by its state and error, not by
 * a health check that cannot run.
 */
export class HealthProber {
  constructor(private readonly options: HealthProberOptions) {}

  /** Checks the instance now, stores the check, and returns the health with the latest checks. */
  async health(instance: RunnerInstance): Promise<InstanceHealth> {
    const now = (this.options.now ?? Date.now)();
    let container: ContainerState | undefined;
    let verdict: Verdict;
    try {
      container =
        instance.state === 'running' && instance.containerId
          ? await this.options.docker.inspect(instance.containerId)
          : undefined;
      verdict = await this.evaluate(instance, container, now);
    } catch (error) {
      // The engine did not answer: that says nothing about the container.
      verdict = {
        status: 'unknown',
        source: 'state',
        detail: `cannot inspect the container: ${
          (error as Error)?.message ?? error
        }`,
      };
    }
    const check: HealthCheck = { at: new Date(now).toISOString(), ...verdict };
    await this.options.checks.record(instance.id, check);
    this.options.onCheck?.(instance, check);

    const events = await this.options.instances.events(instance.id);
    const restartCount = events.filter(
      e => e.toState === 'pending' && e.fromState !== undefined,
    ).length;
    const oomKilled = container?.oomKilled ?? instance.oomKilled;
    const recordedOoms = this.options.errors
      ? await this.options.errors.countForInstance(instance.id, 'OOM_KILLED')
      : 0;
    const running = container?.status === 'running';
    const startedAt = running
      ? container?.startedAt ?? instance.startedAt
      : instance.startedAt;
    const exitCode = container?.exitCode ?? instance.exitCode;
    return {
      instanceId: instance.id,
      entityRef: instance.entityRef,
      instanceState: instance.state,
      status: check.status,
      source: check.source,
      detail: check.detail,
      checkedAt: check.at,
      uptimeSeconds:
        running && startedAt
          ? Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000))
          : undefined,
      startedAt,
      restartCount,
      oomKilled,
      // The error history holds one OOM_KILLED per kill; the flag covers a
      // kill not recorded yet (or no history wired).
      oomKills: Math.max(recordedOoms, oomKilled ? 1 : 0),
      exitCode: exitCode ?? undefined,
      checks: await this.options.checks.latest(instance.id),
    };
  }

  /** Checks every running instance and stores the checks; for a scheduled task. */
  async probeAll(): Promise<{ probed: number; failed: number }> {
    const running = await this.options.instances.list({ states: ['running'] });
    const results = await mapSettledBounded(
      running,
      this.options.concurrency ?? 8,
      instance => this.health(instance),
    );
    const failed = results.filter(r => r.status === 'rejected').length;
    return { probed: running.length - failed, failed };
  }

  private async evaluate(
    instance: RunnerInstance,
    container: ContainerState | undefined,
    now: number,
  ): Promise<Verdict> {
    if (WAITING_STATES.has(instance.state)) {
      return {
        status: 'starting',
        source: 'state',
        detail: `instance is ${instance.state}`,
      };
    }
    if (instance.state !== 'running') {
      const failure = instance.failure as { code?: string } | undefined;
      return {
        // A failed build is not "stopped": nobody stopped it.
        status: instance.state === 'failed' ? 'failed' : 'stopped',
        source: 'state',
        detail: `instance is ${instance.state}: ${describeExit(
          instance.exitCode,
          instance.oomKilled,
        )}${failure?.code ? ` (${failure.code})` : ''}`,
      };
    }
    if (!container) {
      return {
        status: 'stopped',
        source: 'state',
        detail: 'the container no longer exists',
      };
    }
    switch (container.status) {
      case 'running':
        break;
      case 'created':
      case 'restarting':
        return {
          status: 'starting',
          source: 'state',
          detail: `container is ${container.status}`,
        };
      case 'paused':
        return {
          status: 'unknown',
          source: 'state',
          detail: 'container is paused',
        };
      default:
        return {
          status: 'stopped',
          source: 'state',
          detail: `container ${describeExit(
            container.exitCode,
            container.oomKilled,
          )}`,
        };
    }
    if (container.health) {
      return {
        status: container.health,
        source: 'docker',
        detail: `Docker HEALTHCHECK: ${container.health}`,
      };
    }
    return this.probeHttp(instance, container, now);
  }

  private async probeHttp(
    instance: RunnerInstance,
    container: ContainerState,
    now: number,
  ): Promise<Verdict> {
    let path: string | undefined;
    try {
      path = await this.options.healthPathOf(instance);
    } catch (error) {
      return {
        status: 'unknown',
        source: 'http',
        detail: `cannot tell the health path: ${
          (error as Error).message ?? error
        }`,
      };
    }
    if (!path) {
      return {
        status: 'unknown',
        source: 'state',
        detail:
          'running; the image has no HEALTHCHECK and no health path is configured (annotation runner.backstage.io/health-path)',
      };
    }
    const port = [...container.ports, ...instance.ports].find(
      p => p.protocol === 'tcp',
    );
    if (!port) {
      return {
        status: 'unknown',
        source: 'http',
        detail: `no published TCP port to probe ${path} on`,
      };
    }
    const result = await httpProbe(port.hostPort, path, this.options.timeoutMs);
    if (result.ok) {
      return {
        status: 'healthy',
        source: 'http',
        detail: `HTTP ${result.status} from ${path}`,
        latencyMs: result.latencyMs,
      };
    }
    // Like Docker's start period: a service still starting up is not failing yet.
    const startedAt = Date.parse(
      container.startedAt ?? instance.startedAt ?? '',
    );
    const starting =
      Number.isFinite(startedAt) &&
      now - startedAt < this.options.startPeriodMs;
    return {
      status: starting ? 'starting' : 'unhealthy',
      source: 'http',
      detail: result.reason,
      latencyMs: result.latencyMs,
    };
  }
}
