export { GatewayWizard } from './GatewayWizard';
export type { GatewayWizardProps } from './GatewayWizard';
