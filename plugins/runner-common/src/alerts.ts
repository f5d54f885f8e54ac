/**
 * Alerts: conditions of a runner instance or gateway resource that someone
 * should look at, raised once per breach (not once per sample) and kept until
 * the condition clears.
 */

/**
 * What an alert rule watches:
 * - `cpu`: CPU use as a ratio (0–1) of the container's CPU limit.
 * - `memory`: memory working set as a ratio (0–1) of the memory limit.
 * - `restarts`: container exits within a sliding window.
 * - `unhealthy`: the instance's health status is `unhealthy`.
 * - `oom`: the container was killed for exceeding its memory limit.
 * - `crash`: the container's process ended by itself or could not start.
 * - `build-failure`: the image build failed.
 * - `gateway-not-accepted`: a gateway resource is not Accepted by its controller.
 *
 * @public
 */
export const ALERT_RULE_KINDS = [
  'cpu',
  'memory',
  'restarts',
  'unhealthy',
  'oom',
  'crash',
  'build-failure',
  'gateway-not-accepted',
] as const;

/** @public */
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Rules raised by one event each (deduplicated per instance while open). @public */
export const EVENT_ALERT_RULE_KINDS: readonly AlertRuleKind[] = [
  'oom',
  'crash',
  'build-failure',
];

/** @public */
export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Same scale as the error taxonomy's severities. @public */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** @public */
export const ALERT_STATES = ['open', 'resolved'] as const;

/** @public */
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * One rule after defaults and per-component overrides are applied.
 *
 * @public
 */
export interface AlertRule {
  kind: AlertRuleKind;
  enabled: boolean;
  severity: AlertSeverity;
  /**
   * `cpu`, `memory`: the ratio of the limit (0–1) at or above which the rule
   * breaches. `restarts`: the number of exits within `windowMs`. Unused (1)
   * by the other kinds, whose condition is a state or an event.
   */
  threshold: number;
  /** How long the breach must hold before an alert opens; 0 opens at once. */
  durationMs: number;
  /**
   * How long the condition must stay clear before the alert resolves, so that
   * a value hovering around the threshold does not open and resolve in turn.
   */
  clearDurationMs: number;
  /** `cpu`, `memory`: the value must drop below `threshold × clearRatio` to count as clear. */
  clearRatio?: number;
  /** `restarts`: the sliding window exits are counted in. */
  windowMs?: number;
}

/**
 * An alert as the REST API returns it and signals carry it.
 *
 * @public
 */
export interface Alert {
  id: string;
  /** The catalog entity whose owners are told, e.g. `component:default/hello-http`. */
  entityRef: string;
  /** The runner instance, for instance rules. */
  instanceId?: string;
  /** The gateway resource, for `gateway-not-accepted`, e.g. `HTTPRoute default/hello`. */
  resourceRef?: string;
  rule: AlertRuleKind;
  severity: AlertSeverity;
  state: AlertState;
  /** User entity ref (or service subject) of whoever acknowledged it. */
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  /** Occurrences folded into this alert: events and exits while it was open; 1 for conditions. */
  count: number;
  /** When the condition was first seen breaching (before the rule's duration elapsed). */
  firstSeen: string;
  /** The latest time the condition was seen breaching. */
  lastSeen: string;
  openedAt: string;
  resolvedAt?: string;
  /** What is wrong, in words for the entity's owners. */
  message: string;
  /** Values behind the message: the measured value, threshold, error code, remediation. */
  details: Record<string, unknown>;
}

/** Signals channel on which alert changes are pushed to open pages. @public */
export const ALERTS_SIGNAL_CHANNEL = 'runner-alerts';

/**
 * Message on {@link ALERTS_SIGNAL_CHANNEL}: `updated` is an open alert whose
 * count, last-seen time or message changed.
 *
 * @public
 */
export interface AlertSignal {
  entityRef: string;
  event: 'opened' | 'updated' | 'acknowledged' | 'resolved';
  alert: Alert;
}
