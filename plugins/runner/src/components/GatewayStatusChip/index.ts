export { GatewayStatusChip } from './GatewayStatusChip';
