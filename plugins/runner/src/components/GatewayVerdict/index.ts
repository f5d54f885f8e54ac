export { GatewayVerdict, verdictOf } from './GatewayVerdict';
export type { GatewayVerdictProps } from './GatewayVerdict';
