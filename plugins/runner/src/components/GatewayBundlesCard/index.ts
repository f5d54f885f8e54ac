export { GatewayBundlesCard } from './GatewayBundlesCard';
