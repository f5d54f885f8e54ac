import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  EVENT_ALERT_RULE_KINDS,
  type AlertRuleKind,
  type CategorizedError,
  type InstanceState,
} from '@internal/plugin-runner-common';
import type { AlertService } from './AlertService';
import type { AlertSubject } from './AlertStore';
import {
  type InstanceHealthStatus,
  failureDetails,
  gatewayReading,
  healthReading,
  ratioReading,
  rulesForFailure,
} from './conditions';
import {
  SAMPLED_RULES,
  type Subject,
  TOUCH_EVERY_MS,
  applyReading,
  countExits,
  keyOf,
  newSubject,
  openInput,
  sawRunning,
  sawStopped,
  stopReasonOf,
  trackerOf,
} from './subjects';
import { type AlertRuleSet, normalizeEntityRef } from './readAlertRules';

/** The instance an observation is about. */
export interface ObservedInstance {
  id: string;
  entityRef: string;
}

/** One metrics sample; a ratio is absent when the container has no such limit. */
export interface MetricsObservation {
  cpuRatioOfLimit?: number;
  memoryRatioOfLimit?: number;
}

export interface AlertEvaluatorOptions {
  rules: AlertRuleSet;
  alerts: AlertService;
  logger: LoggerService;
  /** The clock; tests pass a fake one. */
  now?: () => Date;
}

const RATIO_RULES = ['cpu', 'memory'] as const;
const STOPPED_STATES: readonly InstanceState[] = ['stopped', 'failed'];

/**
 * Turns observations into alerts, one alert per breach.
 *
 * Condition rules (cpu, memory, unhealthy, restarts, gateway-not-accepted)
 * open when the breach has held for the rule's duration and resolve when the
 * condition has been clear for the clear duration; cpu and memory count as
 * clear only below threshold × clearRatio. Event rules (oom, crash, build-failure)
 * open on the event; a repeat while open adds to the count; they resolve when
 * the instance has been running again for the clear duration.
 *
 * Open alerts live in the database. Pending breaches (a condition not yet
 * held long enough) and restart counts live here, in memory: a backend
 * restart starts those timers over, and an open alert is picked up again by
 * the first observation of its instance or resource.
 *
 * Observations of one subject are handled one at a time, in order. The
 * methods never reject: failures are logged, so hooks can fire and forget.
 */
export class AlertEvaluator {
  private readonly subjects = new Map<string, Subject>();
  private readonly now: () => Date;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** A metrics sample of a running instance (the sampler, every interval). */
  observeMetrics(
    instance: ObservedInstance,
    sample: MetricsObservation,
  ): Promise<void> {
    return this.withInstance(instance, (subject, now) => {
      const rules = this.rulesOf(subject);
      for (const kind of RATIO_RULES) {
        const value =
          kind === 'cpu' ? sample.cpuRatioOfLimit : sample.memoryRatioOfLimit;
        if (typeof value === 'number' && Number.isFinite(value)) {
          const what = kind === 'cpu' ? 'CPU' : 'Memory working set';
          applyReading(
            subject,
            kind,
            ratioReading(rules[kind], value, what),
            now,
          );
        }
      }
      sawRunning(subject, now, true);
    });
  }

  /**
   * A health status of an instance (the prober, on every check, not only on
   * changes: `unhealthy` opens on a check that finds it still unhealthy).
   */
  observeHealth(
    instance: ObservedInstance,
    status: InstanceHealthStatus,
    reason?: string,
  ): Promise<void> {
    return this.withInstance(instance, (subject, now) => {
      if (status === 'stopped' || status === 'failed') {
        sawStopped(subject, now);
        return;
      }
      const rule = this.rulesOf(subject).unhealthy;
      applyReading(
        subject,
        'unhealthy',
        healthReading(rule, status, reason),
        now,
      );
      if (status !== 'unknown') sawRunning(subject, now, true);
    });
  }

  /** Every instance state change (InstanceService's onChange). */
  observeInstance(
    instance: ObservedInstance & {
      state: InstanceState;
      failure?: { userMessage?: unknown };
    },
  ): Promise<void> {
    return this.withInstance(instance, (subject, now) => {
      if (instance.state === 'running') sawRunning(subject, now, false);
      else if (STOPPED_STATES.includes(instance.state)) {
        sawStopped(subject, now, stopReasonOf(instance));
      }
    });
  }

  /** Every categorized failure of an instance (InstanceLifecycle's onFailure). */
  observeFailure(
    instance: ObservedInstance,
    failure: CategorizedError,
  ): Promise<void> {
    const kinds = rulesForFailure(failure);
    if (kinds.length === 0) return Promise.resolve();
    return this.withInstance(instance, async (subject, now) => {
      for (const kind of kinds) {
        if (kind === 'restarts') await this.exited(subject, failure, now);
        else await this.occurred(subject, kind, failure, now);
      }
    });
  }

  /** A gateway resource's Accepted condition (the gateway watch, on every change). */
  observeGatewayStatus(
    entityRef: string,
    resourceRef: string,
    accepted: boolean,
    message: string,
  ): Promise<void> {
    const subject = this.subjectOf(entityRef, { resourceRef });
    if (!subject) return Promise.resolve();
    return this.enqueue(subject, now => {
      const rule = this.rulesOf(subject)['gateway-not-accepted'];
      applyReading(
        subject,
        'gateway-not-accepted',
        gatewayReading(rule, resourceRef, accepted, message),
        now,
      );
    });
  }

  /** The instance was removed: its open alerts resolve, its timers go. */
  forgetInstance(instanceId: string, reason?: string): Promise<void> {
    return this.forget(
      keyOf({ entityRef: '', instanceId }),
      () => this.options.alerts.listOpenByInstance(instanceId),
      reason,
    );
  }

  /** The gateway resource was deleted: its open alert resolves. */
  forgetGatewayResource(entityRef: string, resourceRef: string): Promise<void> {
    const subject = this.subjectOf(entityRef, { resourceRef });
    if (!subject) return Promise.resolve();
    return this.forget(keyOf(subject), () =>
      this.options.alerts.listOpenFor({
        entityRef: subject.entityRef,
        resourceRef,
      }),
    );
  }

  /**
   * Re-evaluates every tracked condition against the clock, for what no
   * observation triggers: a breach reported once that has now held long
   * enough, restarts leaving their window, a recovery lasting long enough.
   * Schedule it every 15–30 s.
   */
  async tick(): Promise<void> {
    await Promise.all(
      [...this.subjects.values()].map(subject =>
        this.enqueue(subject, () => undefined),
      ),
    );
  }

  private withInstance(
    instance: ObservedInstance,
    work: (subject: Subject, now: number) => void | Promise<void>,
  ): Promise<void> {
    const subject = this.subjectOf(instance.entityRef, {
      instanceId: instance.id,
    });
    if (!subject) return Promise.resolve();
    return this.enqueue(subject, now => work(subject, now));
  }

  /** The subject's state; undefined (logged) for a malformed entity ref. */
  private subjectOf(
    entityRef: string,
    of: Omit<AlertSubject, 'entityRef'>,
  ): Subject | undefined {
    let subject: AlertSubject;
    try {
      subject = { entityRef: normalizeEntityRef(entityRef), ...of };
    } catch (error) {
      this.options.logger.warn(`Alert observation ignored: ${error}`);
      return undefined;
    }
    const key = keyOf(subject);
    let found = this.subjects.get(key);
    if (!found) {
      found = newSubject(subject);
      this.subjects.set(key, found);
    }
    return found;
  }

  /** Runs work for a subject after its earlier work, then evaluates it. */
  private enqueue(
    subject: Subject,
    work: (now: number) => void | Promise<void>,
  ): Promise<void> {
    const run = async () => {
      if (!subject.hydrated) await this.hydrate(subject);
      const now = this.now().getTime();
      subject.fresh.clear();
      await work(now);
      await this.evaluate(subject, now);
      if (subject.stopped && subject.trackers.size === 0) {
        // Bounded memory: a stopped instance with nothing pending is dropped
        // (and re-read from the database if it runs again).
        this.subjects.delete(keyOf(subject));
      }
    };
    subject.queue = subject.queue.then(run).catch(error => {
      this.options.logger.warn(
        `Alert evaluation for ${subject.entityRef} ${
          subject.instanceId ?? subject.resourceRef
        } failed: ${error}`,
      );
    });
    return subject.queue;
  }

  /** Picks up the subject's open alerts from the database, once. */
  private async hydrate(subject: Subject): Promise<void> {
    const now = this.now().getTime();
    for (const alert of await this.options.alerts.listOpenFor(subject)) {
      const tracker = trackerOf(subject, alert.rule, now);
      tracker.openId = alert.id;
      tracker.message = alert.message;
      tracker.details = alert.details;
      tracker.restored = true;
    }
    subject.hydrated = true;
  }

  /** One more exit counted towards `restarts`. */
  private async exited(
    subject: Subject,
    failure: CategorizedError,
    now: number,
  ) {
    const tracker = trackerOf(subject, 'restarts', now);
    tracker.exits = [...(tracker.exits ?? []), now];
    tracker.lastExit = failure;
    if (tracker.openId) {
      // Still crash-looping: the same alert, one more exit.
      await this.options.alerts.update(tracker.openId, {
        lastSeen: new Date(now),
        increment: true,
      });
      tracker.persistedAt = now;
    }
  }

  private async occurred(
    subject: Subject,
    kind: AlertRuleKind,
    failure: CategorizedError,
    now: number,
  ) {
    const rule = this.rulesOf(subject)[kind];
    const tracker = trackerOf(subject, kind, now);
    tracker.condition = 'breach';
    tracker.since = now;
    tracker.restored = false;
    tracker.message = failure.userMessage;
    tracker.details = failureDetails(failure);
    if (tracker.openId) {
      const updated = await this.options.alerts.update(tracker.openId, {
        lastSeen: new Date(now),
        message: tracker.message,
        details: tracker.details,
        increment: true,
      });
      if (updated) return;
      tracker.openId = undefined; // resolved elsewhere meanwhile
    }
    if (!rule.enabled) return;
    const { alert } = await this.options.alerts.open(
      openInput(subject, tracker, rule, now, now),
      true,
    );
    tracker.openId = alert.id;
    tracker.persistedAt = now;
  }

  private async evaluate(subject: Subject, now: number): Promise<void> {
    const rules = this.rulesOf(subject);
    for (const tracker of [...subject.trackers.values()]) {
      const rule = rules[tracker.rule];
      if (tracker.rule === 'restarts') countExits(tracker, rule, now);
      const held = now - tracker.since;
      const isEvent = EVENT_ALERT_RULE_KINDS.includes(tracker.rule);
      if (tracker.condition === 'breach' && tracker.openId) {
        if (now - tracker.persistedAt >= TOUCH_EVERY_MS) {
          await this.options.alerts.update(tracker.openId, {
            lastSeen: new Date(now),
            details: isEvent ? undefined : tracker.details,
          });
          tracker.persistedAt = now;
        }
      } else if (
        tracker.condition === 'breach' &&
        !isEvent &&
        rule.enabled &&
        held >= rule.durationMs &&
        (!SAMPLED_RULES.includes(tracker.rule) ||
          subject.fresh.has(tracker.rule))
      ) {
        const { alert } = await this.options.alerts.open(
          {
            ...openInput(subject, tracker, rule, tracker.since, now),
            count: tracker.exits?.length,
          },
          false,
        );
        tracker.openId = alert.id;
        tracker.persistedAt = now;
      } else if (
        tracker.condition === 'clear' &&
        tracker.openId &&
        (tracker.forceClear || held >= rule.clearDurationMs)
      ) {
        await this.options.alerts.resolve(tracker.openId, new Date(now), {
          ...tracker.details,
          resolution: tracker.forceClear ? 'instance stopped' : 'cleared',
          reason: tracker.forceClear ? subject.stopReason : undefined,
        });
        tracker.openId = undefined;
      }
      if (!tracker.openId && tracker.condition !== 'breach') {
        if (!tracker.exits?.length) subject.trackers.delete(tracker.rule);
      }
    }
  }

  private async forget(
    key: string,
    openAlerts: () => Promise<{ id: string; details: object }[]>,
    reason?: string,
  ) {
    const subject = this.subjects.get(key);
    // Let queued observations finish first, so none re-creates what we resolve.
    if (subject) await subject.queue;
    this.subjects.delete(key);
    try {
      const at = this.now();
      for (const alert of await openAlerts()) {
        await this.options.alerts.resolve(alert.id, at, {
          ...alert.details,
          resolution: key.startsWith('i:')
            ? 'instance removed'
            : 'resource removed',
          reason,
        });
      }
    } catch (error) {
      this.options.logger.warn(`Alerts of ${key} not resolved: ${error}`);
    }
  }

  private rulesOf(subject: Subject) {
    return this.options.rules.forEntity(subject.entityRef);
  }
}
