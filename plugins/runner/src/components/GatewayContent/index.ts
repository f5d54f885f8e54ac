export { GatewayContent } from './GatewayContent';
