export { InstanceHealthCard } from './InstanceHealthCard';
