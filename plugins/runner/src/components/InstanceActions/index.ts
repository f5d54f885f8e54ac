export { InstanceActions } from './InstanceActions';
