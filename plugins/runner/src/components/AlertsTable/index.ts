export { AlertsTable, alertSubject } from './AlertsTable';
