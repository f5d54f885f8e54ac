/**
 * Backstage Runner frontend: Runner, Gateway and Alerts entity tabs.
 *
 * This entry point serves the legacy frontend system. The new frontend system
 * plugin is the default export of `@internal/plugin-runner/alpha`.
 *
 * @packageDocumentation
 */

export {
  runnerPlugin,
  EntityRunnerContent,
  EntityGatewayContent,
  EntityAlertsContent,
} from './plugin';
export { RunnerClient, runnerApiRef } from './api';
export type {
  RunnerApi,
  AlertsQuery,
  AlertStateFilter,
  ConfigOrigin,
  ErrorsQuery,
  InstanceErrorsQuery,
  MetricsQuery,
  QueryTime,
  EffectiveConfig,
  FollowLogsOptions,
  GetLogsOptions,
  LogStream,
  LogTail,
} from './api';
// Re-exported so that a legacy EntityPage can guard the tabs with the same
// predicates the new frontend system uses, from one import.
export {
  isRunnerAvailable,
  isGatewayAvailable,
  isAlertsAvailable,
} from '@internal/plugin-runner-common';
