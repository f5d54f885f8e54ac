import { mockServices } from '@backstage/backend-test-utils';
import type { Alert } from '@internal/plugin-runner-common';
import {
  BackstageAlertNotifier,
  alertNotification,
  alertsTabLink,
} from './AlertNotifier';

const alert: Alert = {
  id: '00000000-0000-4000-8000-0000000000a1',
  entityRef: 'component:team-a/payments',
  instanceId: '00000000-0000-4000-8000-000000000001',
  rule: 'memory',
  severity: 'medium',
  state: 'open',
  count: 1,
  firstSeen: '2026-11-26T10:00:00.000Z',
  lastSeen: '2026-11-26T10:05:00.000Z',
  openedAt: '2026-11-26T10:05:00.000Z',
  message: 'Memory working set at 95% of the limit',
  details: { value: 0.95 },
};

describe('alert delivery', () => {
  it('links the entity page Alerts tab the way the catalog routes entities', () => {
    expect(alertsTabLink('Component:Team-A/Payments')).toBe(
      // The name as given: catalog routes keep its case (lookups ignore it).
      '/catalog/team-a/component/Payments/alerts',
    );
    expect(alertsTabLink('api:default/a b')).toBe(
      '/catalog/default/api/a%20b/alerts',
    );
  });

  it.each([
    ['critical', 'critical'],
    ['high', 'high'],
    ['medium', 'normal'],
    ['low', 'low'],
  ] as const)(
    'maps severity %s to the notification severity %s',
    (from, to) => {
      expect(
        alertNotification({ ...alert, severity: from }).payload.severity,
      ).toBe(to);
    },
  );

  it('still signals when the notifications backend fails, and logs why', async () => {
    const logger = mockServices.logger.mock();
    const published: unknown[] = [];
    const notifier = new BackstageAlertNotifier({
      logger,
      notifications: {
        send: async () => {
          throw new Error('notifications backend unavailable');
        },
      },
      signals: {
        publish: async signal => {
          published.push(signal);
        },
      },
    });
    await notifier.opened(alert);
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'runner-alerts',
        message: { entityRef: alert.entityRef, event: 'opened', alert },
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend unavailable'),
    );
  });

  it('works without a notification service (signals only) and never throws on signal failures', async () => {
    const logger = mockServices.logger.mock();
    const notifier = new BackstageAlertNotifier({
      logger,
      signals: {
        publish: async () => {
          throw new Error('no signals backend');
        },
      },
    });
    await expect(notifier.opened(alert)).resolves.toBeUndefined();
    await expect(notifier.changed('resolved', alert)).resolves.toBeUndefined();
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringContaining('no signals backend'),
    );
  });
});
