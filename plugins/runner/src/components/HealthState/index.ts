export { HealthStateBoundary, RetryButton } from './HealthState';
export type { HealthState } from './HealthState';
