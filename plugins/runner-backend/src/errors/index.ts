export { classifyError } from './classifyError';
export type { ClassifyContext, ClassifyOperation } from './classifyError';
export { redactSecrets, REDACTED } from './redactSecrets';
