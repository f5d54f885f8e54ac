export { InstanceFailure } from './InstanceFailure';
