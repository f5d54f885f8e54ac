export { runnerApiRef } from './RunnerApi';
export type { RunnerApi } from './RunnerApi';
export { RunnerClient } from './RunnerClient';
