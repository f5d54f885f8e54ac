export { InstanceEvents } from './InstanceEvents';
