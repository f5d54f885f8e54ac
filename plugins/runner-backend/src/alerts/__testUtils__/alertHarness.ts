import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { SignalPayload } from '@backstage/plugin-signals-node';
import type {
  AlertSignal,
  CategorizedError,
  ErrorCode,
} from '@internal/plugin-runner-common';
import { errorCodeInfo } from '@internal/plugin-runner-common';
import type { Knex } from 'knex';
import type { JsonObject } from '@backstage/types';
import type { TestDatabases } from '@backstage/backend-test-utils';
import { migrateToLatest } from '../../database/migrations';
import { AlertEvaluator } from '../AlertEvaluator';
import { BackstageAlertNotifier } from '../AlertNotifier';
import { AlertService } from '../AlertService';
import { AlertStore } from '../AlertStore';
import { readAlertRules } from '../readAlertRules';

export const MINUTE = 60_000;

/** A failure as the classifier would produce it for this code. */
export function failureOf(code: ErrorCode): CategorizedError {
  const { category, severity, recoverable, origin, userMessage, remediation } =
    errorCodeInfo(code);
  return {
    category,
    code,
    severity,
    recoverable,
    origin,
    userMessage,
    remediation,
    detail: `${code} in a test`,
  } as CategorizedError;
}

/**
 * The alert engine on a real database, with a hand-driven clock and the real
 * Backstage notifier delivering into arrays instead of the notifications and
 * signals backends.
 */
export async function createAlertHarness(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  alertsConfig: JsonObject = {},
) {
  const knex: Knex = await databases.init(databaseId);
  await migrateToLatest(knex);
  const clock = { ms: Date.parse('2026-11-26T10:00:00.000Z') };
  const now = () => new Date(clock.ms);
  const notifications: NotificationSendOptions[] = [];
  const signals: SignalPayload[] = [];
  const logger = mockServices.logger.mock();
  const store = new AlertStore(knex);
  const rules = readAlertRules(
    new ConfigReader({ runner: { alerts: alertsConfig } }),
  );

  function createService() {
    return new AlertService({
      store,
      logger,
      now,
      notifier: new BackstageAlertNotifier({
        logger,
        notifications: {
          send: async options => {
            notifications.push(options);
          },
        },
        signals: {
          publish: async signal => {
            signals.push(signal as SignalPayload);
          },
        },
      }),
    });
  }

  /** A fresh evaluator on the same database, as after a backend restart. */
  function createEvaluator() {
    return new AlertEvaluator({
      rules,
      alerts: createService(),
      logger,
      now,
    });
  }

  return {
    knex,
    store,
    logger,
    notifications,
    /** Signal messages on runner-alerts, as `event:rule`. */
    signalEvents: () =>
      signals.map(s => {
        const message = s.message as unknown as AlertSignal;
        return `${message.event}:${message.alert.rule}`;
      }),
    signals,
    service: createService(),
    evaluator: createEvaluator(),
    createEvaluator,
    /** Sets the clock to `minutes` after the start. */
    at(minutes: number) {
      clock.ms = Date.parse('2026-11-26T10:00:00.000Z') + minutes * MINUTE;
    },
    async alerts() {
      return knex('alerts').orderBy(['opened_at', 'rule']).select();
    },
  };
}
