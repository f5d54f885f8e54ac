import type {
  AlertRule,
  AlertRuleKind,
  CategorizedError,
} from '@internal/plugin-runner-common';

/**
 * `breach`: the rule's condition holds. `clear`: it clearly does not (past
 * the hysteresis margin). `neutral`: in between, or unknown — neither an
 * alert's opening nor its resolution makes progress.
 */
export type Condition = 'breach' | 'clear' | 'neutral';

/** What one observation says about one rule. */
export interface Reading {
  condition: Condition;
  message: string;
  details: Record<string, unknown>;
}

/** Container health as the health prober reports it. */
export type InstanceHealthStatus =
  | 'healthy'
  | 'unhealthy'
  | 'starting'
  | 'stopped'
  | 'failed'
  | 'unknown';

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * CPU or memory as a ratio of the limit. Breach at or above the threshold;
 * clear only below threshold × clearRatio, so a value hovering just under the
 * threshold neither resolves an open alert nor restarts its opening.
 */
export function ratioReading(
  rule: AlertRule,
  value: number,
  what: string,
): Reading {
  const clearBelow = rule.threshold * (rule.clearRatio ?? 1);
  let condition: Condition = 'neutral';
  if (value >= rule.threshold) condition = 'breach';
  else if (value < clearBelow) condition = 'clear';
  return {
    condition,
    message: `${what} at ${percent(
      value,
    )} of the limit for at least ${formatDuration(
      rule.durationMs,
    )} (alerts at ${percent(rule.threshold)}, resolves below ${percent(
      clearBelow,
    )})`,
    details: {
      value,
      threshold: rule.threshold,
      clearBelow,
      durationMs: rule.durationMs,
    },
  };
}

const HEALTH_CONDITIONS: Record<InstanceHealthStatus, Condition> = {
  unhealthy: 'breach',
  healthy: 'clear',
  // Stopped or failed is not unhealthy (the evaluator resolves at once on a stop).
  stopped: 'clear',
  failed: 'clear',
  starting: 'neutral',
  unknown: 'neutral',
};

export function healthReading(
  rule: AlertRule,
  status: InstanceHealthStatus,
  reason?: string,
): Reading {
  // `starting` and `unknown` say nothing either way.
  const condition = HEALTH_CONDITIONS[status];
  return {
    condition,
    message: `Unhealthy for at least ${formatDuration(rule.durationMs)}${
      reason ? `: ${reason}` : ''
    }`,
    details: { status, ...(reason ? { reason } : {}) },
  };
}

export function gatewayReading(
  rule: AlertRule,
  resourceRef: string,
  accepted: boolean,
  message: string,
): Reading {
  return {
    condition: accepted ? 'clear' : 'breach',
    message: `${resourceRef} not accepted by the gateway for at least ${formatDuration(
      rule.durationMs,
    )}${message ? `: ${message}` : ''}`,
    details: { resourceRef, accepted, reason: message },
  };
}

export function restartsReading(
  rule: AlertRule,
  exitsInWindow: number,
  lastExit?: CategorizedError,
): Reading {
  return {
    condition: exitsInWindow >= rule.threshold ? 'breach' : 'clear',
    message: `${exitsInWindow} container exits within ${formatDuration(
      rule.windowMs ?? 0,
    )} (alerts at ${rule.threshold})${
      lastExit ? `; last: ${lastExit.userMessage}` : ''
    }`,
    details: {
      exits: exitsInWindow,
      threshold: rule.threshold,
      windowMs: rule.windowMs,
      ...(lastExit ? failureDetails(lastExit) : {}),
    },
  };
}

/** What the owners need from a failure; `detail` (redacted engine output) stays in the error history. */
export function failureDetails(
  failure: CategorizedError,
): Record<string, unknown> {
  return {
    code: failure.code,
    category: failure.category,
    userMessage: failure.userMessage,
    remediation: failure.remediation,
  };
}

/**
 * The rules a failure feeds. OOM kills → `oom`; every build failure,
 * including a base image that cannot be pulled during the build, →
 * `build-failure` (the runner obtains images only by building); a container
 * of the user's that ended or could not start (`CONTAINER_EXITED`,
 * `CONTAINER_START_FAILED`, a Kubernetes crash loop or failed Job) → `crash`,
 * and its exits also count towards `restarts` (a crash loop is worse than a
 * crash). Failures of the platform (a port taken, the engine down, a
 * container removed behind the runner's back) are the error history's, not
 * an alert's: the owners of the component cannot fix them.
 */
export function rulesForFailure(failure: CategorizedError): AlertRuleKind[] {
  if (failure.code === 'OOM_KILLED' || failure.category === 'oom') {
    return ['oom'];
  }
  if (
    failure.code.startsWith('BUILD_') ||
    failure.category === 'build' ||
    failure.category === 'image'
  ) {
    return ['build-failure'];
  }
  if (failure.category === 'container' && failure.origin === 'user') {
    return failure.code === 'CONTAINER_EXITED'
      ? ['crash', 'restarts']
      : ['crash'];
  }
  return [];
}
