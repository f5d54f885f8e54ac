export { AlertsContent } from './AlertsContent';
