import {
  coreServices,
  createBackendPlugin,
  type AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import { connectDatabase } from '../../database/migrations';
import { ErrorStore } from '../../errors/ErrorStore';
import { DatabaseInstanceStore } from '../../instances/DatabaseInstanceStore';
import { HealthCheckStore } from '../HealthCheckStore';
import { HealthProber } from '../HealthProber';
import { MetricsStore } from '../MetricsStore';
import { RunnerMetrics } from '../prometheus';
import { EntityAccess } from '../../access/EntityAccess';
import { createErrorsRouter } from '../../routes/errorsRouter';
import { createMonitoringRouter } from '../../routes/monitoringRouter';

/*
 * A backend with only the monitoring and errors routers mounted as the
 * runner plugin, on the test backend's database, with a permission policy
 * that denies the entities given and records audit events. No Docker: the
 * instances these tests read are not running (real containers are covered
 * in monitoring/containers.test.ts).
 */

export const ENTITY_NAMES = ['hello-http', 'cpu-burner', 'secret-service'];

export interface MonitoringTestBackend {
  server: any;
  knex: Knex;
  audits: AuditorServiceCreateEventOptions[];
  /** Resource refs whose permission checks ran, in order. */
  authorized: string[];
}

export async function startMonitoringBackend(options: {
  deny?: string[];
  seed(knex: Knex): Promise<void>;
}): Promise<MonitoringTestBackend> {
  const audits: AuditorServiceCreateEventOptions[] = [];
  const authorized: string[] = [];
  let knex!: Knex;
  const deny = new Set(options.deny ?? []);

  const plugin = createBackendPlugin({
    pluginId: 'runner',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          auditor: coreServices.auditor,
          catalog: catalogServiceRef,
        },
        async init(deps) {
          knex = await connectDatabase(deps.database);
          await options.seed(knex);
          const access = new EntityAccess(deps);
          const store = new DatabaseInstanceStore(knex);
          const instances = {
            async get(id: string) {
              const instance = await store.get(id);
              if (!instance)
                throw new NotFoundError(`No runner instance with id '${id}'`);
              return instance;
            },
          };
          const metrics = new MetricsStore(knex, {
            rawRetentionMs: 86_400_000,
          });
          const errors = new ErrorStore(knex);
          deps.httpRouter.use(
            createMonitoringRouter({
              access,
              instances,
              metrics,
              health: new HealthProber({
                instances: store,
                docker: { inspect: async () => undefined },
                checks: new HealthCheckStore(knex, 3),
                errors,
                healthPathOf: async () => '/healthz',
                timeoutMs: 1_000,
                startPeriodMs: 0,
              }),
              prometheus: new RunnerMetrics({
                store: metrics,
                freshnessMs: 30_000,
              }),
            }),
          );
          deps.httpRouter.use(
            createErrorsRouter({
              access,
              instances,
              errors,
              maxScannedPerRequest: 20,
            }),
          );
        },
      });
    },
  });

  const entities = ENTITY_NAMES.map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: 'experimental',
    },
  }));

  const { server } = await startTestBackend({
    features: [
      plugin,
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => {
            const ref = (r as { resourceRef?: string }).resourceRef ?? '';
            authorized.push(ref);
            return {
              result: deny.has(ref)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            };
          }),
      }).factory,
      mockServices.auditor.mock({
        createEvent: async opts => {
          audits.push(opts);
          return { success: async () => {}, fail: async () => {} };
        },
      }).factory,
    ],
  });
  return { server, knex, audits, authorized };
}
