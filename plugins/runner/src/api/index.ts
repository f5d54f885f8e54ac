export { runnerApiRef } from './RunnerApi';
export type { RunnerApi } from './RunnerApi';
export { RunnerClient } from './RunnerClient';
export type {
  AlertsQuery,
  AlertStateFilter,
  ConfigOrigin,
  ErrorsQuery,
  InstanceErrorsQuery,
  MetricsQuery,
  QueryTime,
  EffectiveConfig,
  FollowLogsOptions,
  GatewayProposal,
  GatewayTemplate,
  GatewayTemplateSummary,
  GatewayUpdateRequest,
  GetLogsOptions,
  LogStream,
  LogTail,
} from './types';
