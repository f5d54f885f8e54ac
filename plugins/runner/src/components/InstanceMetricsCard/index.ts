export { InstanceMetricsCard } from './InstanceMetricsCard';
