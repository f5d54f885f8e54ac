import {
  EVENT_ALERT_RULE_KINDS,
  type AlertRule,
  type AlertRuleKind,
  type CategorizedError,
} from '@internal/plugin-runner-common';
import type { AlertSubject, OpenAlertInput } from './AlertStore';
import { type Condition, type Reading, restartsReading } from './conditions';

/*
 * The evaluator's in-memory state: per subject (an instance, or a gateway
 * resource), one tracker per rule that has something going on. Functions
 * here only change that state; AlertEvaluator decides what to store.
 */

/** One rule of one subject, in memory. */
export interface Tracker {
  rule: AlertRuleKind;
  condition: Condition;
  /** When the current condition began (ms). */
  since: number;
  message: string;
  details: Record<string, unknown>;
  /** The open alert in the database, if any. */
  openId?: string;
  /** Last time last_seen was written, to write it at most once a minute. */
  persistedAt: number;
  /** Resolve without waiting for the clear duration: the container is gone. */
  forceClear?: boolean;
  /** Loaded from the database after a restart: its occurrence is not in memory. */
  restored?: boolean;
  /** `restarts`: exit times within the window. */
  exits?: number[];
  lastExit?: CategorizedError;
}

export interface Subject extends AlertSubject {
  trackers: Map<AlertRuleKind, Tracker>;
  /** Rules read by the observation being handled. */
  fresh: Set<AlertRuleKind>;
  hydrated: boolean;
  /** The container is gone; the subject is dropped once nothing is tracked. */
  stopped: boolean;
  /** Why it is gone (the instance's failure), for the alerts it resolves. */
  stopReason?: string;
  queue: Promise<void>;
}

/** Minimum time between last_seen writes of one open alert. */
export const TOUCH_EVERY_MS = 60_000;
/**
 * Rules fed by samples. They open only on a sample: "held for the duration"
 * means seen breaching at the start and again at least a duration later with
 * nothing else in between, so a last stale sample followed by silence (the
 * container stopped) never opens an alert on a later tick.
 */
export const SAMPLED_RULES: readonly AlertRuleKind[] = [
  'cpu',
  'memory',
  'unhealthy',
];

export function keyOf(subject: AlertSubject): string {
  return subject.instanceId
    ? `i:${subject.instanceId}`
    : `g:${subject.entityRef}\n${subject.resourceRef}`;
}

export function newSubject(subject: AlertSubject): Subject {
  return {
    ...subject,
    trackers: new Map(),
    fresh: new Set(),
    hydrated: false,
    stopped: false,
    queue: Promise.resolve(),
  };
}

export function trackerOf(
  subject: Subject,
  rule: AlertRuleKind,
  now: number,
): Tracker {
  let tracker = subject.trackers.get(rule);
  if (!tracker) {
    tracker = {
      rule,
      condition: 'neutral',
      since: now,
      message: '',
      details: {},
      persistedAt: now,
    };
    subject.trackers.set(rule, tracker);
  }
  return tracker;
}

/** Applies one reading of a sampled or reported condition. */
export function applyReading(
  subject: Subject,
  rule: AlertRuleKind,
  reading: Reading,
  now: number,
): void {
  const tracker = trackerOf(subject, rule, now);
  subject.fresh.add(rule);
  if (reading.condition !== tracker.condition) {
    tracker.condition = reading.condition;
    tracker.since = now;
    tracker.forceClear = false;
  }
  if (reading.condition === 'breach' || !tracker.openId) {
    // An open alert resolves with the values of its breach, not with the
    // reading that cleared it.
    tracker.message = reading.message;
    tracker.details = reading.details;
  }
}

/**
 * Running evidence clears event alerts after their clear duration. Samples
 * (metrics, health) count only for alerts restored from the database: a
 * sample taken just before an OOM may arrive just after it, while a state
 * change to `running` after the failure is unambiguous.
 */
export function sawRunning(
  subject: Subject,
  now: number,
  fromSample: boolean,
): void {
  subject.stopped = false;
  for (const kind of EVENT_ALERT_RULE_KINDS) {
    const tracker = subject.trackers.get(kind);
    if (!tracker || tracker.condition === 'clear') continue;
    if (fromSample && !tracker.restored) continue;
    tracker.condition = 'clear';
    tracker.since = now;
  }
}

/** Why an instance that no longer runs stopped, for the alerts that resolve with it. */
export function stopReasonOf(instance: {
  state: string;
  failure?: { userMessage?: unknown };
}): string {
  const failure = instance.failure?.userMessage;
  return instance.state === 'failed' && typeof failure === 'string'
    ? `the instance failed: ${failure}`
    : `the instance is ${instance.state}`;
}

/** The container is gone: resource conditions are over, recoveries are interrupted. */
export function sawStopped(
  subject: Subject,
  now: number,
  reason?: string,
): void {
  subject.stopped = true;
  subject.stopReason = reason;
  for (const kind of ['cpu', 'memory', 'unhealthy'] as const) {
    const tracker = subject.trackers.get(kind);
    if (!tracker) continue;
    tracker.condition = 'clear';
    tracker.since = now;
    tracker.forceClear = true;
  }
  for (const kind of EVENT_ALERT_RULE_KINDS) {
    const tracker = subject.trackers.get(kind);
    if (tracker?.condition === 'clear') {
      tracker.condition = 'neutral';
      tracker.since = now;
    }
  }
}

/** Restarts: the condition is the number of exits inside the window. */
export function countExits(
  tracker: Tracker,
  rule: AlertRule,
  now: number,
): void {
  const windowMs = rule.windowMs ?? 0;
  tracker.exits = (tracker.exits ?? []).filter(at => now - at < windowMs);
  const reading = restartsReading(rule, tracker.exits.length, tracker.lastExit);
  if (reading.condition !== tracker.condition) {
    // Evaluated on every exit, so `now` is when the count crossed.
    tracker.condition = reading.condition;
    tracker.since = now;
  }
  if (reading.condition === 'breach' || !tracker.openId) {
    tracker.message = reading.message;
    tracker.details = reading.details;
  }
}

export function openInput(
  subject: Subject,
  tracker: Tracker,
  rule: AlertRule,
  firstSeen: number,
  now: number,
): OpenAlertInput {
  return {
    entityRef: subject.entityRef,
    instanceId: subject.instanceId,
    resourceRef: subject.resourceRef,
    rule: tracker.rule,
    severity: rule.severity,
    firstSeen: new Date(firstSeen),
    at: new Date(now),
    message: tracker.message,
    details: tracker.details,
  };
}
