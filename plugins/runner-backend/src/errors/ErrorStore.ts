import type { Knex } from 'knex';
import type {
  CategorizedError,
  ErrorCategory,
  ErrorEvent,
  ErrorEventPage,
  ErrorSeverity,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { redactSecrets } from './redactSecrets';

/** A failure to keep in the history. */
export interface ErrorEventInput {
  entityRef: string;
  failure: CategorizedError;
  instanceId?: string;
  /** A failing resource that is not an instance, e.g. `HTTPRoute runner-examples/hello`. */
  resourceRef?: string;
  /** What was being done: source, build, run, stop, gateway-apply, … */
  operation?: string;
  /** Defaults to now. */
  at?: Date;
}

/** Filters of the error history; all given ones must match. */
export interface ErrorFilter {
  entityRef?: string;
  instanceId?: string;
  category?: ErrorCategory;
  severity?: ErrorSeverity;
  code?: string;
  from?: Date;
  to?: Date;
}

export interface ErrorPageRequest {
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ErrorStoreOptions {
  /** Called after every stored event, e.g. to count `runner_errors_total`. */
  onRecord?(event: ErrorEvent): void;
}

type Row = Record<string, any>;

function toEvent(row: Row): ErrorEvent {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    instanceId: row.instance_id ?? undefined,
    resourceRef: row.resource_ref ?? undefined,
    operation: row.operation ?? undefined,
    category: row.category,
    code: row.code,
    severity: row.severity,
    recoverable: Boolean(row.recoverable),
    origin: row.origin,
    userMessage: row.user_message,
    remediation: row.remediation,
    detail: row.detail,
    at: new Date(row.at).toISOString(),
  };
}

/**
 * Cursors are the id of the last event of a page (events are listed newest
 * first, by id). Opaque to clients; anything but a positive integer is
 * refused by the route's validation before it gets here.
 */
function cursorId(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const id = Number(cursor);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError(`invalid cursor '${cursor}'`);
  }
  return id;
}

/**
 * The categorized error history: every failure of an instance (through the
 * instance lifecycle's `onFailure`) and of other runner resources. Owns all
 * SQL on error_events.
 */
export class ErrorStore {
  constructor(
    private readonly knex: Knex,
    private readonly options: ErrorStoreOptions = {},
  ) {}

  /** Records an instance's failure; meant for `InstanceLifecycle`'s `onFailure` hook. */
  record(
    instance: RunnerInstance,
    failure: CategorizedError,
  ): Promise<ErrorEvent> {
    return this.recordEvent({
      entityRef: instance.entityRef,
      instanceId: instance.id,
      failure,
    });
  }

  async recordEvent(input: ErrorEventInput): Promise<ErrorEvent> {
    const { failure } = input;
    const row = {
      entity_ref: input.entityRef,
      instance_id: input.instanceId ?? null,
      resource_ref: input.resourceRef ?? null,
      operation: input.operation ?? null,
      category: failure.category,
      code: failure.code,
      severity: failure.severity,
      recoverable: failure.recoverable,
      origin: failure.origin,
      user_message: failure.userMessage,
      remediation: failure.remediation,
      // The classifier redacts already; callers recording other errors may
      // not have, and the history is read by more people than the log.
      detail: redactSecrets(failure.detail || 'no error details were given'),
      at: input.at ?? new Date(),
    };
    const [inserted] = await this.knex('error_events')
      .insert(row)
      .returning('id');
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    const event = toEvent({ ...row, id });
    this.options.onRecord?.(event);
    return event;
  }

  /**
   * Newest first. `nextCursor` is set when older events match; a page holds
   * `limit` events at most.
   */
  async list(
    filter: ErrorFilter,
    page: ErrorPageRequest,
  ): Promise<ErrorEventPage> {
    const query = this.knex('error_events').orderBy('id', 'desc');
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.instanceId) query.where('instance_id', filter.instanceId);
    if (filter.category) query.where('category', filter.category);
    if (filter.severity) query.where('severity', filter.severity);
    if (filter.code) query.where('code', filter.code);
    if (filter.from) query.where('at', '>=', filter.from);
    if (filter.to) query.where('at', '<=', filter.to);
    const before = cursorId(page.cursor);
    if (before !== undefined) query.where('id', '<', before);
    // One more than asked: whether there is a next page, without a count.
    const rows = await query.limit(page.limit + 1);
    const items = rows.slice(0, page.limit).map(toEvent);
    return {
      items,
      nextCursor:
        rows.length > page.limit ? items[items.length - 1].id : undefined,
    };
  }

  /** How many events of `code` the instance has had, e.g. OOM kills. */
  async countForInstance(instanceId: string, code: string): Promise<number> {
    const [{ n }] = await this.knex('error_events')
      .where({ instance_id: instanceId, code })
      .count({ n: '*' });
    return Number(n);
  }

  /** Retention (`runner.monitoring.retention.errors`). */
  async deleteOlderThan(before: Date): Promise<number> {
    return this.knex('error_events').where('at', '<', before).delete();
  }
}
