import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  registerInstanceActions,
  type InstanceActionsDeps,
} from './instanceActions';
import {
  registerMonitoringActions,
  type MonitoringActionsDeps,
} from './monitoringActions';
import {
  registerGatewayActions,
  type GatewayActionsDeps,
} from './gatewayActions';

export type RunnerActionsDeps = InstanceActionsDeps &
  MonitoringActionsDeps &
  GatewayActionsDeps;

/**
 * The runner's actions in Backstage's actions registry, which the MCP
 * actions backend offers as tools (`runner.list-instances`, …; docs/mcp.md).
 * Each checks the permission and writes the audit event of its REST route
 * (src/access/operations.ts).
 */
export function registerRunnerActions(
  registry: ActionsRegistryService,
  deps: RunnerActionsDeps,
) {
  registerInstanceActions(registry, deps);
  registerMonitoringActions(registry, deps);
  registerGatewayActions(registry, deps);
}
