export { runnerApiRef } from './RunnerApi';
export type { RunnerApi } from './RunnerApi';
export { RunnerClient } from './RunnerClient';
export type {
  ConfigOrigin,
  EffectiveConfig,
  FollowLogsOptions,
  GetLogsOptions,
  LogStream,
  LogTail,
} from './types';
