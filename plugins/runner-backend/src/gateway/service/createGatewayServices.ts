import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { GatewayEntityStatusSummary } from '@internal/plugin-runner-common';
import type { Knex } from 'knex';
import type { RunnerConfig } from '../../config/RunnerConfig';
import { ClusterInspector } from '../../kubernetes/ClusterInspector';
import { ClusterSet } from '../../kubernetes/ClusterSet';
import { readGatewayConfig } from '../gatewayConfig';
import {
  GatewayLiveState,
  type GatewayLiveStateOptions,
} from '../live/GatewayLiveState';
import { CLUSTER_EXPECTATIONS } from '../managedKinds';
import { GatewayRevisionStore } from '../revisions/GatewayRevisionStore';
import { CrdSchemas } from './CrdSchemas';
import { GatewayService } from './GatewayService';

export interface GatewayServicesOptions {
  /** Root config: `runner.gateway.crdDirectories` and `runner.gateway.gatewayApiChannel` are read. */
  config: Config;
  /** `readRunnerConfig(config).kubernetes` (clusters and the default cluster). */
  kubernetes: RunnerConfig['kubernetes'];
  /** The plugin database, migrated (gateway_revisions). */
  knex: Knex;
  logger: LoggerService;
  /** Called with an entity's status summary whenever one of its objects changes in a cluster. */
  onChange?: (entityRef: string, summary: GatewayEntityStatusSummary) => void;
  /** Called when one of an entity's objects is gone from a cluster. */
  onDeleted?: GatewayLiveStateOptions['onDeleted'];
  /** Watch backoff, e.g. shorter in tests. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Use an existing ClusterSet (default: built from `kubernetes`). */
  clusters?: ClusterSet;
}

export interface GatewayServices {
  clusters: ClusterSet;
  inspector: ClusterInspector;
  liveState: GatewayLiveState;
  gateway: GatewayService;
  /** Starts the watches (call once the backend starts). */
  start(): void;
  /** Stops the watches (a shutdown hook). */
  close(): Promise<void>;
}

/**
 * Builds the gateway services from config, for the plugin's wiring:
 *
 * ```ts
 * const gw = createGatewayServices({ config, kubernetes: runnerConfig.kubernetes, knex, logger, onChange });
 * gw.start();
 * lifecycle.addShutdownHook(() => gw.close());
 * httpRouter.use(createGatewayRouter({ access, gateway: gw.gateway, inspector: gw.inspector }));
 * ```
 */
export function createGatewayServices(
  options: GatewayServicesOptions,
): GatewayServices {
  const gatewayConfig = readGatewayConfig(options.config);
  const clusters =
    options.clusters ?? ClusterSet.fromConfig(options.kubernetes);
  const liveState = new GatewayLiveState({
    clusters,
    logger: options.logger,
    onChange: options.onChange,
    onDeleted: options.onDeleted,
    backoff: options.backoff,
  });
  const gateway = new GatewayService({
    clusters,
    revisions: new GatewayRevisionStore(options.knex),
    schemas: new CrdSchemas({
      directories: gatewayConfig.crdDirectories,
      gatewayApiChannel: gatewayConfig.gatewayApiChannel,
      logger: options.logger,
    }),
    logger: options.logger,
    liveState,
  });
  return {
    clusters,
    inspector: new ClusterInspector(clusters, CLUSTER_EXPECTATIONS),
    liveState,
    gateway,
    start: () => liveState.start(),
    close: () => liveState.close(),
  };
}
