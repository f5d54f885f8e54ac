import type { AlertRuleKind } from '@internal/plugin-runner-common';

/** What each rule watches, as a short title for tables. */
export const ALERT_RULE_TITLES: Record<AlertRuleKind, string> = {
  cpu: 'High CPU',
  memory: 'High memory',
  restarts: 'Restarting',
  unhealthy: 'Unhealthy',
  oom: 'Out of memory',
  crash: 'Crashed',
  'build-failure': 'Build failed',
  'gateway-not-accepted': 'Gateway resource not accepted',
};

export function alertRuleTitle(rule: string): string {
  return ALERT_RULE_TITLES[rule as AlertRuleKind] ?? rule;
}

/** A string field of an alert's free-form details, if present. */
export function detailText(
  details: Record<string, unknown> | undefined,
  key: string,
): string | undefined {
  const value = details?.[key];
  return typeof value === 'string' && value.trim() ? value : undefined;
}
