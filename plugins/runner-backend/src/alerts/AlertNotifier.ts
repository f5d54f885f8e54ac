import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { JsonObject } from '@backstage/types';
import {
  ALERTS_SIGNAL_CHANNEL,
  type Alert,
  type AlertSeverity,
  type AlertSignal,
} from '@internal/plugin-runner-common';

/**
 * Where alert changes go. Implementations must not throw for delivery
 * problems that should not undo the change: the alert is already stored.
 */
export interface AlertNotifier {
  /** A new alert: tell the entity's owners and open pages. */
  opened(alert: Alert): Promise<void>;
  /** An open alert changed (count, last seen), was acknowledged, or resolved. */
  changed(
    event: Exclude<AlertSignal['event'], 'opened'>,
    alert: Alert,
  ): Promise<void>;
}

/** Notification topic users can mute in their notification settings. */
export const ALERTS_NOTIFICATION_TOPIC = 'runner-alerts';

// Backstage notifications have no "medium"; "normal" is its middle.
const NOTIFICATION_SEVERITY: Record<
  AlertSeverity,
  NonNullable<NotificationSendOptions['payload']['severity']>
> = {
  critical: 'critical',
  high: 'high',
  medium: 'normal',
  low: 'low',
};

const RULE_TITLES: Record<Alert['rule'], string> = {
  cpu: 'high CPU',
  memory: 'high memory',
  restarts: 'restarting repeatedly',
  unhealthy: 'unhealthy',
  oom: 'killed for running out of memory',
  crash: 'crashed',
  'build-failure': 'build failed',
  'gateway-not-accepted': 'gateway resource not accepted',
};

/** The entity's Alerts tab: `/catalog/<namespace>/<kind>/<name>/alerts`. */
export function alertsTabLink(entityRef: string): string {
  const ref = parseEntityRef(entityRef);
  // Lowercased like the catalog's own entity routes.
  return `/catalog/${encodeURIComponent(
    ref.namespace.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(
    ref.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(ref.name)}/alerts`;
}

/** The notification for a new alert, addressed to the entity (its owners). */
export function alertNotification(alert: Alert): NotificationSendOptions {
  const { name } = parseEntityRef(alert.entityRef);
  const subject = alert.resourceRef ? `${name} (${alert.resourceRef})` : name;
  return {
    recipients: { type: 'entity', entityRef: [alert.entityRef] },
    payload: {
      title: `${subject}: ${RULE_TITLES[alert.rule]}`,
      description: alert.message,
      link: alertsTabLink(alert.entityRef),
      severity: NOTIFICATION_SEVERITY[alert.severity],
      topic: ALERTS_NOTIFICATION_TOPIC,
      // One scope per alert: a re-send (e.g. after a retry) updates the same
      // notification instead of adding another.
      scope: `runner-alert:${alert.id}`,
    },
  };
}

export interface BackstageAlertNotifierOptions {
  /** Absent when the notifications backend is not installed: signals only. */
  notifications?: NotificationService;
  signals: SignalsService;
  logger: LoggerService;
}

/**
 * Backstage notifications for new alerts (the notifications backend resolves
 * the entity's owners), and a broadcast signal on `runner-alerts` for every
 * change so that open Alerts tabs refresh. Broadcast is enough: the message
 * names the entity and pages filter on it; the alert holds no secret.
 */
export class BackstageAlertNotifier implements AlertNotifier {
  constructor(private readonly options: BackstageAlertNotifierOptions) {}

  async opened(alert: Alert): Promise<void> {
    const { notifications, logger } = this.options;
    if (notifications) {
      await notifications
        .send(alertNotification(alert))
        .catch(error =>
          logger.warn(
            `Alert ${alert.id} (${alert.rule} on ${alert.entityRef}) not sent as a notification: ${error}`,
          ),
        );
    }
    await this.publish('opened', alert);
  }

  async changed(
    event: Exclude<AlertSignal['event'], 'opened'>,
    alert: Alert,
  ): Promise<void> {
    await this.publish(event, alert);
  }

  private async publish(
    event: AlertSignal['event'],
    alert: Alert,
  ): Promise<void> {
    const message: AlertSignal = { entityRef: alert.entityRef, event, alert };
    await this.options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: ALERTS_SIGNAL_CHANNEL,
        // Alert is plain JSON data; its interface lacks an index signature.
        message: message as unknown as JsonObject,
      })
      .catch(error =>
        this.options.logger.debug(`Alert signal not sent: ${error}`),
      );
  }
}
