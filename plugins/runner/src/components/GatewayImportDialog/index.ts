export { GatewayImportDialog } from './GatewayImportDialog';
