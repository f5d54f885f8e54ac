export { HealthStatusChip } from './HealthStatusChip';
