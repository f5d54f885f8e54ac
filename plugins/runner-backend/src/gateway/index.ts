/*
 * The gateway domain: provider and HTTPRoute templates, bundles with
 * write-only Secrets, and the in-process validation layers (business rules,
 * CRD schema, CEL). Routes and services import from here.
 */
export {
  redactBundle,
  redactObject,
  secretValues,
  sortForApply,
  summarizeBundle,
  type GatewayBundle,
  type KubernetesObject,
} from './bundle';
export {
  entityLabelSelector,
  entityLabelValue,
  isOwnedBy,
  normalizeEntityRef,
} from './ownership';
export {
  buildTemplate,
  isTemplateId,
  listTemplates,
  templateInputJsonSchema,
  HTTP_ROUTE_TEMPLATE,
  PROVIDER_TEMPLATES,
  type TemplateDescription,
  type TemplateId,
  type TemplateResult,
} from './templates';
export { renderApiServerError } from './validation/apiServerError';
export {
  CrdRegistry,
  type CrdRegistryOptions,
  type CrdVersionEntry,
} from './validation/CrdRegistry';
export { SHIMMED_FUNCTIONS } from './validation/cel/kubernetesLibrary';
export { runBusinessRules, type BusinessRuleOptions } from './validation/rules';
export { AI_GATEWAY_LIMITS } from './validation/aiGatewayRules';
export {
  GatewayValidator,
  hasErrors,
  objectKey,
  validateBundle,
  type BundleValidationOptions,
} from './validation/validateBundle';
