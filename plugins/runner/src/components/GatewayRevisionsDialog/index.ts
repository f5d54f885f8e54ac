export { GatewayRevisionsDialog } from './GatewayRevisionsDialog';
