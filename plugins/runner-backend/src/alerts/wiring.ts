import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { Knex } from 'knex';
import type {
  CategorizedError,
  GatewayEntityStatusSummary,
  GatewayObjectRef,
  HealthCheck,
  MetricSample,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { EffectiveComponentConfig } from '../config/types';
import type { EntityAccess } from '../access/EntityAccess';
import { createAlertsRouter } from '../routes/alertsRouter';
import { type SweptInstance, sweepInstanceAlerts } from './sweep';
import {
  AlertEvaluator,
  AlertService,
  AlertStore,
  BackstageAlertNotifier,
  readAlertRules,
} from '.';

export interface AlertsWiringOptions {
  config: Config;
  knex: Knex;
  logger: LoggerService;
  scheduler: SchedulerService;
  signals: SignalsService;
  notifications?: NotificationService;
  entityOf(entityRef: string): Promise<Entity | undefined>;
  configOf(entity: Entity): EffectiveComponentConfig | undefined;
}

/** How gateway alerts name the object they are about: `Kind/namespace/name`. */
function gatewayResourceRef(object: {
  kind: string;
  namespace?: string;
  name?: string;
}): string {
  return `${object.kind}/${object.namespace ?? ''}/${object.name ?? ''}`;
}

/**
 * The alert engine and the hooks that feed it: instance changes and
 * failures, metric samples, health checks. The plugin connects the hooks.
 */
export function createAlerts(options: AlertsWiringOptions) {
  const { logger } = options;
  const alerts = new AlertService({
    store: new AlertStore(options.knex),
    notifier: new BackstageAlertNotifier({
      notifications: options.notifications,
      signals: options.signals,
      logger,
    }),
    logger,
  });
  const evaluator = new AlertEvaluator({
    rules: readAlertRules(options.config),
    alerts,
    logger,
  });

  // CPU samples are ratios of one core; rules compare against the limit.
  const cpuLimits = new Map<string, number | undefined>();
  async function cpusOf(instance: RunnerInstance): Promise<number | undefined> {
    if (!cpuLimits.has(instance.id)) {
      const entity = await options
        .entityOf(instance.entityRef)
        .catch(() => undefined);
      const nanoCpus =
        entity && options.configOf(entity)?.docker.resourceLimits.nanoCpus;
      cpuLimits.set(instance.id, nanoCpus ? nanoCpus / 1e9 : undefined);
    }
    return cpuLimits.get(instance.id);
  }

  return {
    /** The alerts as routes and actions read them. */
    service: alerts,
    onChange(instance: RunnerInstance) {
      if (instance.state === 'stopped' || instance.state === 'failed')
        cpuLimits.delete(instance.id);
      void evaluator.observeInstance(instance);
    },
    onFailure(instance: RunnerInstance, failure: CategorizedError) {
      void evaluator.observeFailure(instance, failure);
    },
    onSample(instance: RunnerInstance, sample: MetricSample) {
      cpusOf(instance)
        .then(cpus =>
          evaluator.observeMetrics(instance, {
            cpuRatioOfLimit:
              sample.cpuRatio !== undefined && cpus
                ? sample.cpuRatio / cpus
                : undefined,
            memoryRatioOfLimit:
              sample.memoryLimitBytes > 0
                ? sample.memoryWorkingSetBytes / sample.memoryLimitBytes
                : undefined,
          }),
        )
        .catch(error =>
          logger.debug(`alerts: metrics of ${instance.id}: ${error}`),
        );
    },
    onCheck(instance: RunnerInstance, check: HealthCheck) {
      void evaluator.observeHealth(instance, check.status, check.detail);
    },
    /** An entity's gateway objects changed: each Accepted or NotAccepted feeds its alert. */
    onGatewaySummary(entityRef: string, summary: GatewayEntityStatusSummary) {
      for (const object of summary.objects) {
        if (object.accepted === 'Unknown') continue;
        void evaluator.observeGatewayStatus(
          entityRef,
          gatewayResourceRef(object.object),
          object.accepted === 'True',
          object.reason ?? '',
        );
      }
    },
    /** A gateway object is gone from its cluster: its open alert resolves. */
    onGatewayDeleted(entityRef: string, object: GatewayObjectRef) {
      void evaluator.forgetGatewayResource(
        entityRef,
        gatewayResourceRef(object),
      );
    },
    onRemoved(instanceId: string) {
      cpuLimits.delete(instanceId);
      void evaluator.forgetInstance(instanceId);
    },
    /** For the reconciler: resolves what instances that went away left open. */
    sweep(instanceOf: (id: string) => Promise<SweptInstance | undefined>) {
      return sweepInstanceAlerts(alerts, evaluator, instanceOf);
    },
    async start(access: EntityAccess) {
      await options.scheduler.scheduleTask({
        id: 'runner-alerts-tick',
        scope: 'local',
        frequency: { seconds: 15 },
        timeout: { minutes: 1 },
        fn: () => evaluator.tick(),
      });
      return createAlertsRouter({ access, alerts });
    },
  };
}
