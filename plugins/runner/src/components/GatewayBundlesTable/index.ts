export { GatewayBundlesTable } from './GatewayBundlesTable';
