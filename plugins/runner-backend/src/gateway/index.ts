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
export { readGatewayConfig, type GatewayConfig } from './gatewayConfig';
export { bindingOf, type GatewayBinding } from './entityBinding';
export { MANAGED_KINDS, CLUSTER_EXPECTATIONS } from './managedKinds';
export {
  GatewayLiveState,
  type GatewayLiveStateOptions,
} from './live/GatewayLiveState';
export { summarizeStatus, entitySummary } from './live/statusSummary';
export { diffObjects } from './changes/diff';
export { toYaml, parseImport } from './changes/yamlIO';
export { GatewayRevisionStore } from './revisions/GatewayRevisionStore';
export { CrdSchemas, type CrdSchemasOptions } from './service/CrdSchemas';
export {
  GatewayService,
  type GatewayServiceOptions,
} from './service/GatewayService';
export {
  createGatewayServices,
  type GatewayServices,
  type GatewayServicesOptions,
} from './service/createGatewayServices';
export {
  GatewayValidationError,
  GatewayImportError,
  NO_CLUSTER_MESSAGE,
} from './service/errors';
