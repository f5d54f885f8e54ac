import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { GatewayEntityStatusSummary } from '@internal/plugin-runner-common';
import { readRunnerConfig } from '../../config/RunnerConfig';
import { connectDatabase } from '../../database/migrations';
import type { ClusterConfig } from '../../config/RunnerConfig';
import { EntityAccess } from '../../access/EntityAccess';
import { createGatewayRouter } from '../../routes/gatewayRouter';
import { createGatewayServices } from '../service/createGatewayServices';
import { sharedCrdsDir } from './shared';

/*
 * A backend with only the gateway router mounted (as the lead will wire
 * it), the in-memory catalog, mock permissions, and a logger and an auditor
 * that keep everything they are given, so tests can scan them for secrets.
 */

export interface CapturedAudit {
  eventId: string;
  severityLevel?: string;
  meta?: unknown;
  outcome?: 'success' | 'fail';
  error?: string;
}

export interface GatewayBackend {
  server: any;
  logLines: string[];
  audits: CapturedAudit[];
  changes: Array<{ entityRef: string; summary: GatewayEntityStatusSummary }>;
}

function capturingLogger(
  lines: string[],
  fields: Record<string, unknown> = {},
): LoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    const error =
      meta instanceof Error
        ? `${meta.name}: ${meta.message} ${JSON.stringify(meta)}`
        : JSON.stringify(meta ?? {});
    lines.push(`${level} ${message} ${JSON.stringify(fields)} ${error}`);
  };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: (meta: Record<string, unknown>) =>
      capturingLogger(lines, { ...fields, ...meta }),
  } as LoggerService;
}

/** A Component bound to `namespace` (its gateway namespace) and the ai-gateway parent. */
export function gatewayEntity(
  name: string,
  namespace: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'runner.backstage.io/gateway-namespace': namespace,
        'runner.backstage.io/gateway-parent': 'envoy-gateway-system/ai-gateway',
        ...annotations,
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

export async function startGatewayBackend(options: {
  clusters: ClusterConfig[];
  entities: Entity[];
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  crdDirectories?: string[];
}): Promise<GatewayBackend> {
  const logLines: string[] = [];
  const audits: CapturedAudit[] = [];
  const changes: GatewayBackend['changes'] = [];
  const clusters = options.clusters.map(c => ({
    name: c.name,
    url: c.url,
    auth: {
      type: 'serviceAccount',
      token: (c.auth as { token: string }).token,
    },
    ...(c.caData ? { caData: c.caData } : {}),
    skipTLSVerify: c.skipTLSVerify,
    connectionTimeout: c.connectionTimeoutMs,
  }));
  const config = {
    runner: {
      kubernetes: { clusters },
      gateway: { crdDirectories: options.crdDirectories ?? [sharedCrdsDir()] },
    },
  };

  const gatewayTestPlugin = createBackendPlugin({
    pluginId: 'runner',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          auditor: coreServices.auditor,
          database: coreServices.database,
          lifecycle: coreServices.lifecycle,
          catalog: catalogServiceRef,
        },
        async init(deps) {
          const runnerConfig = readRunnerConfig(deps.config);
          const knex = await connectDatabase(deps.database);
          const gateway = createGatewayServices({
            config: deps.config,
            kubernetes: runnerConfig.kubernetes,
            knex,
            logger: deps.logger,
            backoff: { initialMs: 50, maxMs: 500 },
            onChange: (entityRef, summary) =>
              changes.push({ entityRef, summary }),
          });
          gateway.start();
          deps.lifecycle.addShutdownHook(() => gateway.close());
          deps.httpRouter.use(
            createGatewayRouter({
              access: new EntityAccess(deps),
              gateway: gateway.gateway,
              inspector: gateway.inspector,
            }),
          );
        },
      });
    },
  });

  const root = capturingLogger(logLines);
  const auditor = mockServices.auditor.mock({
    createEvent: async (opts: any) => {
      const entry: CapturedAudit = {
        eventId: opts.eventId,
        severityLevel: opts.severityLevel,
        meta: opts.meta,
      };
      audits.push(entry);
      return {
        success: async () => {
          entry.outcome = 'success';
        },
        fail: async (failure: { error: Error }) => {
          entry.outcome = 'fail';
          entry.error = JSON.stringify({
            ...failure.error,
            message: failure.error.message,
          });
        },
      };
    },
  });
  const { server } = await startTestBackend({
    features: [
      gatewayTestPlugin,
      mockServices.rootConfig.factory({ data: config }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => root as any,
      }),
      auditor.factory,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
    ],
  });
  return { server, logLines, audits, changes };
}
