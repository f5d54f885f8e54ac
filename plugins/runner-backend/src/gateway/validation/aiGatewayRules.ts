import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../bundle';
import { fieldError } from './fieldErrors';
import { childPath, indexPath } from './fieldPath';
import { isPlainObject } from './schemaWalk';

/*
 * Limits of the Envoy AI Gateway (v1.1.0) that its CRD does not (fully)
 * encode. The controller turns each AIGatewayRoute into an HTTPRoute with
 * the same rules, their backendRefs and matches, plus one rule of its own
 * (`route-not-found`, one match). The API server refuses that HTTPRoute past
 * its limits (16 rules, 16 backendRefs and 64 matches per rule, 128 matches
 * in all, a rule without matches counting one), so the route can never work:
 * these are errors. Rule names must be unique and `route-not-found` is taken
 * (the AIGatewayRoute CRD says so too; repeated here for when it is not loaded).
 */

export const AI_GATEWAY_LIMITS = {
  maxRules: 15,
  maxBackendRefsPerRule: 16,
  maxMatchesPerRule: 64,
  /** Matches of the generated HTTPRoute, the controller's own rule included. */
  maxMatches: 128,
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
  // The controller's route-not-found rule has one match.
  let matches = 1;
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
    const ruleMatches = list(rule.matches).length;
    // A rule without matches is defaulted to one (PathPrefix /) in the HTTPRoute.
    matches += Math.max(1, ruleMatches);
    if (ruleMatches > AI_GATEWAY_LIMITS.maxMatchesPerRule) {
      const finding = fieldError.tooMany(
        childPath(rulePath, 'matches'),
        ruleMatches,
        AI_GATEWAY_LIMITS.maxMatchesPerRule,
        'rule',
      );
      finding.message +=
        ' (each rule becomes an HTTPRoute rule, which allows 64 matches)';
      findings.push(finding);
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
  if (matches > AI_GATEWAY_LIMITS.maxMatches) {
    findings.push(
      fieldError.invalid(
        rulesPath,
        'array',
        `the generated HTTPRoute would have ${matches} matches (a rule without matches counts one, and the AI Gateway adds one rule with one match); the API server allows ${AI_GATEWAY_LIMITS.maxMatches} across all rules, so the AI Gateway could not create it`,
        'rule',
      ),
    );
  }
  return findings;
}
