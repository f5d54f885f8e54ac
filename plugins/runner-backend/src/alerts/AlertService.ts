import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Alert, AlertSignal } from '@internal/plugin-runner-common';
import type { AlertNotifier } from './AlertNotifier';
import type {
  AlertListQuery,
  AlertStore,
  AlertSubject,
  AlertUpdate,
  OpenAlertInput,
} from './AlertStore';

export interface AlertServiceOptions {
  store: AlertStore;
  notifier: AlertNotifier;
  logger: LoggerService;
  /** The clock; tests pass a fake one. */
  now?: () => Date;
}

/**
 * Alerts as the routes and the evaluator see them: every change is stored
 * first, then delivered (notification for a new alert, a signal for every
 * change). Delivery failures are logged and never undo a stored change.
 */
export class AlertService {
  private readonly now: () => Date;

  constructor(private readonly options: AlertServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  list(query: AlertListQuery): Promise<Alert[]> {
    return this.options.store.list(query);
  }

  get(id: string): Promise<Alert> {
    return this.options.store.get(id);
  }

  listOpenFor(subject: AlertSubject): Promise<Alert[]> {
    return this.options.store.listOpenFor(subject);
  }

  listOpenByInstance(instanceId: string): Promise<Alert[]> {
    return this.options.store.listOpenByInstance(instanceId);
  }

  listOpenOfInstances(): Promise<Alert[]> {
    return this.options.store.listOpenOfInstances();
  }

  /**
   * Acknowledges an open alert (idempotent: the first acknowledgement
   * stands). NotFoundError for an unknown id, ConflictError once resolved.
   */
  async acknowledge(id: string, by: string): Promise<Alert> {
    const { alert, changed } = await this.options.store.acknowledge(
      id,
      by,
      this.now(),
    );
    if (changed) await this.deliver('acknowledged', alert);
    return alert;
  }

  /** Opens an alert, or folds into the open one of the same rule and subject. */
  async open(input: OpenAlertInput, incrementExisting: boolean) {
    const result = await this.options.store.open(input, incrementExisting);
    if (result.created) {
      await this.deliver('opened', result.alert);
    } else if (incrementExisting) {
      await this.deliver('updated', result.alert);
    }
    return result;
  }

  /** Updates an open alert; a signal only when an occurrence is added. */
  async update(id: string, update: AlertUpdate): Promise<Alert | undefined> {
    const alert = await this.options.store.update(id, update);
    if (alert && update.increment) await this.deliver('updated', alert);
    return alert;
  }

  async resolve(
    id: string,
    at: Date,
    details?: Record<string, unknown>,
  ): Promise<Alert | undefined> {
    const alert = await this.options.store.resolve(id, at, details);
    if (alert) await this.deliver('resolved', alert);
    return alert;
  }

  private async deliver(
    event: AlertSignal['event'],
    alert: Alert,
  ): Promise<void> {
    try {
      if (event === 'opened') {
        await this.options.notifier.opened(alert);
      } else {
        await this.options.notifier.changed(event, alert);
      }
    } catch (error) {
      this.options.logger.warn(
        `Alert ${alert.id} (${alert.rule} on ${alert.entityRef}) ${event}, not delivered: ${error}`,
      );
    }
  }
}
