import {
  containerExitRule,
  containerRules,
  dockerPatternRule,
  dockerStatusRule,
} from './dockerRules';
import {
  backstageRule,
  kubernetesRule,
  networkRule,
  sourcePatternRule,
} from './integrationRules';
import type { Rule } from './ruleTypes';

export type { ClassifyOperation, Match } from './ruleTypes';

/**
 * Every rule, most specific first; the first match wins. The order is the
 * design: the runner's own errors and container states say exactly what
 * happened; a Kubernetes Status reason beats any pattern; message patterns
 * beat HTTP statuses (a port conflict arrives as a plain 500); network errnos
 * need the operation; Backstage error names are the most generic.
 */
export const RULES: readonly Rule[] = [
  ...containerRules,
  kubernetesRule,
  dockerPatternRule,
  containerExitRule,
  sourcePatternRule,
  networkRule,
  dockerStatusRule,
  backstageRule,
];
