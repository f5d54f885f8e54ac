import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import type {
  CategorizedError,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { DockerRuntime } from '../docker/types';
import { ErrorStore } from '../errors/ErrorStore';
import type { InstanceService } from '../instances/InstanceService';
import type { InstanceStore } from '../instances/InstanceStore';
import type { EntityAccess } from '../access/EntityAccess';
import { createErrorsRouter } from '../routes/errorsRouter';
import { createMonitoringRouter } from '../routes/monitoringRouter';
import {
  HealthCheckStore,
  HealthProber,
  MetricsSampler,
  MetricsStore,
  MonitoringRetention,
  RunnerMetrics,
  readMonitoringConfig,
  type HealthProberOptions,
  type MetricsSamplerOptions,
} from '.';
import type { RunnerMetricsOptions } from './prometheus';

export interface MonitoringWiringOptions {
  config: Config;
  knex: Knex;
  logger: LoggerService;
  scheduler: SchedulerService;
  docker: DockerRuntime;
  store: InstanceStore;
  entityOf(entityRef: string): Promise<Entity | undefined>;
  /** Every stored sample and health check, e.g. for alert rules. */
  onSample?: MetricsSamplerOptions['onSample'];
  onCheck?: HealthProberOptions['onCheck'];
  /** More Prometheus families for GET /metrics (image retention). */
  extraMetrics?: RunnerMetricsOptions['extraFamilies'];
}

/**
 * Metrics sampling, health probing, error history and the operators'
 * Prometheus view, built from config; the plugin connects the hooks and
 * mounts the routers.
 */
export async function createMonitoring(options: MonitoringWiringOptions) {
  const { knex, logger, docker, store } = options;
  const monitoring = readMonitoringConfig(options.config);
  const metricsStore = new MetricsStore(knex, {
    rawRetentionMs: monitoring.retention.rawMs,
  });
  const sampler = new MetricsSampler({
    instances: store,
    docker,
    store: metricsStore,
    logger,
    concurrency: monitoring.sampleConcurrency,
    onSample: options.onSample,
  });
  const runnerMetrics = new RunnerMetrics({
    store: metricsStore,
    sampler,
    freshnessMs: 3 * monitoring.sampleIntervalMs,
    extraFamilies: options.extraMetrics,
  });
  const errorStore = new ErrorStore(knex, {
    onRecord: event => runnerMetrics.countError(event),
  });
  const checks = new HealthCheckStore(knex, monitoring.health.historySize);
  let instances: InstanceService | undefined;
  const prober = new HealthProber({
    instances: store,
    docker,
    checks,
    errors: errorStore,
    onCheck: options.onCheck,
    healthPathOf: async instance => {
      const entity = await options.entityOf(instance.entityRef);
      return entity ? instances?.safeConfig(entity)?.run.healthPath : undefined;
    },
    timeoutMs: monitoring.health.timeoutMs,
    startPeriodMs: monitoring.health.startPeriodMs,
  });
  const retention = new MonitoringRetention({
    metrics: metricsStore,
    checks,
    errors: errorStore,
    retention: monitoring.retention,
  });

  return {
    metricsStore,
    errorStore,
    prober,
    sampler,
    /** Hooks for InstanceService. */
    onChange: (instance: RunnerInstance) =>
      runnerMetrics.observeInstance(instance),
    onFailure: (instance: RunnerInstance, failure: CategorizedError) => {
      errorStore
        .record(instance, failure)
        .catch(error => logger.warn(`error history: ${error}`));
    },
    /** Mounts the routers and schedules the background work once the service exists. */
    async start(service: InstanceService, access: EntityAccess) {
      instances = service;
      await options.scheduler.scheduleTask({
        id: 'runner-sample-metrics',
        scope: 'global',
        frequency: { milliseconds: monitoring.sampleIntervalMs },
        timeout: { minutes: 1 },
        fn: async () => {
          await sampler.sampleOnce();
        },
      });
      await options.scheduler.scheduleTask({
        id: 'runner-probe-health',
        scope: 'global',
        // Health feeds the unhealthy-for-a-duration alert: probe as often as we sample.
        frequency: { milliseconds: monitoring.sampleIntervalMs },
        timeout: { minutes: 1 },
        fn: async () => {
          await prober.probeAll();
        },
      });
      await options.scheduler.scheduleTask({
        id: 'runner-monitoring-retention',
        scope: 'global',
        frequency: { minutes: 5 },
        timeout: { minutes: 5 },
        fn: async () => {
          await retention.cleanup(new Date());
        },
      });
      return [
        createMonitoringRouter({
          access,
          instances: service,
          metrics: metricsStore,
          health: prober,
          prometheus: runnerMetrics,
        }),
        createErrorsRouter({ access, instances: service, errors: errorStore }),
      ];
    },
  };
}
