export { InstanceStateChip } from './InstanceStateChip';
