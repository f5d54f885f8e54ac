export { InstancePorts } from './InstancePorts';
