export { ErrorHistoryTable } from './ErrorHistoryTable';
