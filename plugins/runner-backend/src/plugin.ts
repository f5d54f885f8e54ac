import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import type { Entity } from '@backstage/catalog-model';
import { runnerPermissions } from '@internal/plugin-runner-common';
import { readRunnerConfig } from './config/RunnerConfig';
import { resolveEffectiveConfig } from './config/effectiveConfig';
import { chooseRuntime, readRuntimeSettings } from './config/runtimeChoice';
import { configHash, redactEffectiveConfig } from './config/redaction';
import { connectDatabase } from './database/migrations';
import { createMonitoring } from './monitoring/wiring';
import { createAlerts } from './alerts/wiring';
import { createRetention } from './retention/wiring';
import { installationHashKey, installationId } from './database/installation';
import { DockerEngine } from './docker/DockerEngine';
import { classifyError } from './errors';
import { HealthService } from './health/HealthService';
import { DatabaseInstanceStore } from './instances/DatabaseInstanceStore';
import { InstanceService } from './instances/InstanceService';
import { passRuntimeFailures } from './instances/runtimeLaunch';
import { createRuntimes } from './runtimes/createRuntimes';
import { Reconciler } from './instances/Reconciler';
import { ClusterSet } from './kubernetes/ClusterSet';
import { createGatewayServices } from './gateway';
import { createGatewayRouter } from './routes/gatewayRouter';
import { EntityAccess } from './access/EntityAccess';
import { createHealthRouter } from './routes/healthRouter';
import { createInstancesRouter } from './routes/instancesRouter';
import { registerRunnerActions } from './actions';
import { RunnerComponentSources } from './sources';

/** Signals channel on which every instance state change is published. */
export const INSTANCES_SIGNAL_CHANNEL = 'runner-instances';
/** Signals channel on which gateway status summaries are published. */
export const GATEWAY_SIGNAL_CHANNEL = 'runner-gateway';

/**
 * The `runner` backend plugin. Wiring only: services are built from config
 * and core services, routers are mounted under /api/runner, background work
 * (Docker events, the reconciler) is started and stopped with the backend.
 *
 * @public
 */
export const runnerPlugin = createBackendPlugin({
  pluginId: 'runner',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        urlReader: coreServices.urlReader,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, auth, catalog, signals } = deps;
        const runnerConfig = readRunnerConfig(config);
        const runtimeSettings = readRuntimeSettings(config);
        for (const cluster of runnerConfig.kubernetes.clusters) {
          if (cluster.skipTLSVerify) {
            logger.warn(
              `runner.kubernetes.clusters '${cluster.name}' has skipTLSVerify: true; the API server's identity is not checked`,
            );
          }
        }
        const knex = await connectDatabase(deps.database);
        const installation = await installationId(knex);
        // Keys the config hash that labels and the API show (docs/configuration.md).
        const hashKey = await installationHashKey(knex);
        deps.permissionsRegistry.addPermissions(runnerPermissions);

        const docker = new DockerEngine(runnerConfig.docker);
        const otherRuntimes = createRuntimes({
          settings: runtimeSettings,
          clusters: runnerConfig.kubernetes.clusters,
          docker,
          dockerEndpoint: docker.endpoint,
          logger,
        });
        const clusters = ClusterSet.fromConfig(runnerConfig.kubernetes);
        const health = new HealthService(docker, clusters.list());

        const store = new DatabaseInstanceStore(knex);
        const entityOf = async (entityRef: string) =>
          catalog.getEntityByRef(entityRef, {
            credentials: await auth.getOwnServiceCredentials(),
          });
        // Declared before the service: their hooks feed on its changes.
        // Config for alert limits; a component whose annotations broke has none.
        const configOf = (entity: Entity) => {
          try {
            return resolveEffectiveConfig(entity, runnerConfig);
          } catch {
            return undefined;
          }
        };
        const alerts = createAlerts({
          config,
          knex,
          logger,
          scheduler: deps.scheduler,
          signals,
          notifications: deps.notifications,
          entityOf,
          configOf,
        });
        // Keeps each component's newest images and what instances use.
        const retention = createRetention({
          config: runnerConfig,
          images: docker.housekeeping,
          instances: store,
          installationId: installation,
          logger,
        });
        const monitoring = await createMonitoring({
          config,
          knex,
          logger,
          scheduler: deps.scheduler,
          docker,
          store,
          entityOf,
          onSample: alerts.onSample,
          onCheck: alerts.onCheck,
          extraMetrics: retention.metrics,
        });
        const instances = new InstanceService({
          store,
          docker,
          sources: new RunnerComponentSources({
            urlReader: deps.urlReader,
            allowedLocalRoots: runnerConfig.sources.allowedLocalRoots,
          }),
          classify: passRuntimeFailures(classifyError),
          runtimes: {
            runtimes: otherRuntimes.runtimes,
            choose: entity => chooseRuntime(entity, runtimeSettings),
          },
          resolveConfig: entity => resolveEffectiveConfig(entity, runnerConfig),
          configHash: effective => configHash(effective, hashKey),
          logger,
          stopTimeoutSeconds: 10,
          installationId: installation,
          onFailure: (instance, failure) => {
            monitoring.onFailure(instance, failure);
            alerts.onFailure(instance, failure);
          },
          onRemoved: alerts.onRemoved,
          onChange: instance => {
            monitoring.onChange(instance);
            alerts.onChange(instance);
            signals
              .publish({
                recipients: { type: 'broadcast' },
                channel: INSTANCES_SIGNAL_CHANNEL,
                message: {
                  entityRef: instance.entityRef,
                  instance: instance as any,
                },
              })
              .catch(error => logger.debug(`signal not sent: ${error}`));
          },
        });

        const reconciler = new Reconciler({
          store,
          docker,
          service: instances,
          logger,
          entityOf,
          installationId: installation,
          sweepAlerts: () => alerts.sweep(id => store.get(id)),
          // Longer than any build may take, so another replica's launch is never taken for dead.
          interruptedAfterMs:
            runnerConfig.dockerDefaults.buildTimeoutMs + 5 * 60_000,
        });
        const reconcile = async () => {
          const report = await reconciler.reconcile();
          if (Object.values(report).some(n => n > 0)) {
            logger.info(
              `Reconciled runner instances: ${JSON.stringify(report)}`,
            );
          }
        };

        const access = new EntityAccess(deps);
        httpRouter.use(createHealthRouter(health));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        await retention.start(deps.scheduler);
        for (const router of await monitoring.start(instances, access)) {
          httpRouter.use(router);
        }
        httpRouter.use(await alerts.start(access));

        // Gateway resources: a NotAccepted object raises an alert, every
        // status change reaches open Gateway tabs.
        const gateway = createGatewayServices({
          config,
          kubernetes: runnerConfig.kubernetes,
          knex,
          logger,
          clusters,
          onDeleted: alerts.onGatewayDeleted,
          onChange: (entityRef, summary) => {
            alerts.onGatewaySummary(entityRef, summary);
            signals
              .publish({
                recipients: { type: 'broadcast' },
                channel: GATEWAY_SIGNAL_CHANNEL,
                message: { entityRef, summary: summary as any },
              })
              .catch(error => logger.debug(`signal not sent: ${error}`));
          },
        });
        httpRouter.use(
          createGatewayRouter({
            access,
            gateway: gateway.gateway,
            inspector: gateway.inspector,
          }),
        );
        gateway.start();
        httpRouter.use(
          createInstancesRouter({
            access,
            instances,
            redactConfig: redactEffectiveConfig,
            runtimeOf: entity => chooseRuntime(entity, runtimeSettings),
          }),
        );
        registerRunnerActions(deps.actionsRegistry, {
          access,
          instances,
          health: monitoring.prober,
          alerts: alerts.service,
          gateway: gateway.gateway,
        });

        const initial = await docker.health();
        if (initial.reachable) {
          logger.info(`Docker engine ${initial.version} at ${docker.endpoint}`);
          const { warnings } = await docker.capabilities();
          warnings.forEach(warning => logger.warn(warning));
        } else {
          logger.warn(`No Docker engine: ${initial.reason}`);
        }

        // Docker events keep instances true as containers exit; after every
        // (re)connection the reconciler catches up on what the stream missed.
        const events = docker.watchEvents(
          event => {
            instances
              .handleContainerEvent(event, entityOf)
              .catch(error =>
                logger.warn(`runner event ${event.action}: ${error}`),
              );
          },
          () => {
            reconcile().catch(error =>
              logger.warn(`runner reconcile: ${error}`),
            );
          },
          { onError: error => logger.debug(`runner events: ${error}`) },
        );
        await deps.scheduler.scheduleTask({
          id: 'runner-reconcile',
          scope: 'global',
          frequency: { seconds: 30 },
          timeout: { minutes: 5 },
          fn: reconcile,
        });
        deps.lifecycle.addShutdownHook(async () => {
          events.close();
          await gateway.close();
          await instances.shutdown();
          await otherRuntimes.close();
        });
      },
    });
  },
});
