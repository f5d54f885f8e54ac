export { ProviderForm } from './ProviderForm';
