export { RouteForm } from './RouteForm';
