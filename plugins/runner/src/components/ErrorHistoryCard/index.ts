export { ErrorHistoryCard } from './ErrorHistoryCard';
