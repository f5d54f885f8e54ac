export { GatewayErrorAlert } from './GatewayErrorAlert';
