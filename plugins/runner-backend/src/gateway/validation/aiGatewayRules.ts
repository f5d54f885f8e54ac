import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../bundle';
import { fieldError } from './fieldErrors';
import { childPath, indexPath } from './fieldPath';
import { isPlainObject } from './schemaWalk';

/*
 * Limits of the Envoy AI Gateway that its CRD does not (fully) encode. Each
 * AIGatewayRoute becomes an HTTPRoute with one extra rule of its own
 * (`route-not-found`), so: at most 15 rules, at most 16 backendRefs per rule,
 * at most 126 header matches across the route, and the name `route-not-found`
 * is taken.
 */

export const AI_GATEWAY_LIMITS = {
  maxRules: 15,
  maxBackendRefsPerRule: 16,
  maxHeaderMatches: 126,
  reservedRuleName: 'route-not-found',
} as const;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function aiGatewayRouteRules(route: KubernetesObject): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  const spec = isPlainObject(route.spec) ? route.spec : {};
  const rules = list(spec.rules);
  const rulesPath = 'spec.rules';
  if (rules.length > AI_GATEWAY_LIMITS.maxRules) {
    findings.push(
      fieldError.tooMany(
        rulesPath,
        rules.length,
        AI_GATEWAY_LIMITS.maxRules,
        'rule',
      ),
    );
  }
  let headerMatches = 0;
  const ruleNames = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!isPlainObject(rule)) return;
    const rulePath = indexPath(rulesPath, i);
    const backendRefs = list(rule.backendRefs);
    if (backendRefs.length > AI_GATEWAY_LIMITS.maxBackendRefsPerRule) {
      const finding = fieldError.tooMany(
        childPath(rulePath, 'backendRefs'),
        backendRefs.length,
        AI_GATEWAY_LIMITS.maxBackendRefsPerRule,
        'rule',
      );
      finding.message +=
        ' (each rule becomes an HTTPRoute rule, which allows 16 backendRefs)';
      findings.push(finding);
    }
    for (const match of list(rule.matches)) {
      if (isPlainObject(match)) headerMatches += list(match.headers).length;
    }
    if (typeof rule.name === 'string') {
      const namePath = childPath(rulePath, 'name');
      if (rule.name === AI_GATEWAY_LIMITS.reservedRuleName) {
        findings.push(
          fieldError.invalid(
            namePath,
            rule.name,
            `rule name ${AI_GATEWAY_LIMITS.reservedRuleName} is reserved for the AI Gateway's own rule`,
            'rule',
          ),
        );
      }
      const first = ruleNames.get(rule.name);
      if (first !== undefined) {
        const finding = fieldError.duplicate(namePath, rule.name, 'rule');
        finding.message += `: rule names must be unique within the route (also used by ${indexPath(
          rulesPath,
          first,
        )})`;
        findings.push(finding);
      } else {
        ruleNames.set(rule.name, i);
      }
    }
  });
  if (headerMatches > AI_GATEWAY_LIMITS.maxHeaderMatches) {
    findings.push(
      fieldError.invalid(
        rulesPath,
        'array',
        `${headerMatches} header matches in total; an AIGatewayRoute may have at most ${AI_GATEWAY_LIMITS.maxHeaderMatches} across all rules`,
        'rule',
      ),
    );
  }
  return findings;
}
