export { GatewayClustersCard } from './GatewayClustersCard';
