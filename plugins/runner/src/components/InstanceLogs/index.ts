export { InstanceLogs } from './InstanceLogs';
