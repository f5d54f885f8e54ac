import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import type {
  Alert,
  AlertRuleKind,
  AlertSeverity,
  AlertState,
} from '@internal/plugin-runner-common';

type Row = Record<string, any>;

/** What an alert is about: an instance, or a gateway resource of an entity. */
export interface AlertSubject {
  entityRef: string;
  instanceId?: string;
  resourceRef?: string;
}

export interface OpenAlertInput extends AlertSubject {
  rule: AlertRuleKind;
  severity: AlertSeverity;
  firstSeen: Date;
  at: Date;
  message: string;
  details: Record<string, unknown>;
  /** Occurrences already behind the alert when it opens (restarts: the exits counted); default 1. */
  count?: number;
}

export interface AlertUpdate {
  lastSeen: Date;
  message?: string;
  details?: Record<string, unknown>;
  /** Adds one occurrence (an event or exit folded into the open alert). */
  increment?: boolean;
}

export interface AlertListQuery {
  entityRef: string;
  state: AlertState | 'all';
  limit: number;
}

// SQLite hands back epoch milliseconds, PostgreSQL Date objects.
function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date =
    value instanceof Date ? value : new Date(value as string | number);
  return date.toISOString();
}

function toAlert(row: Row): Alert {
  const alert: Alert = {
    id: row.id,
    entityRef: row.entity_ref,
    rule: row.rule,
    severity: row.severity,
    state: row.state,
    count: Number(row.count),
    firstSeen: toIso(row.first_seen)!,
    lastSeen: toIso(row.last_seen)!,
    openedAt: toIso(row.opened_at)!,
    message: row.message,
    details: row.details ? JSON.parse(row.details) : {},
  };
  // Absent rather than undefined, so the JSON and signals stay small.
  if (row.instance_id) alert.instanceId = row.instance_id;
  if (row.resource_ref) alert.resourceRef = row.resource_ref;
  if (row.acknowledged_by) alert.acknowledgedBy = row.acknowledged_by;
  if (row.acknowledged_at) alert.acknowledgedAt = toIso(row.acknowledged_at);
  if (row.resolved_at) alert.resolvedAt = toIso(row.resolved_at);
  return alert;
}

/** The dedup key of an open alert: one per rule and subject. */
export function openKeyOf(rule: AlertRuleKind, subject: AlertSubject): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        rule,
        subject.entityRef,
        subject.instanceId ?? null,
        subject.resourceRef ?? null,
      ]),
    )
    .digest('hex');
}

/** Alerts in the plugin's database (SQLite or PostgreSQL). */
export class AlertStore {
  constructor(private readonly db: Knex) {}

  /**
   * Opens an alert unless one is already open for the same rule and subject
   * (possibly opened by another evaluator a moment ago); then that one is
   * returned, with one more occurrence when `incrementExisting`.
   */
  async open(
    input: OpenAlertInput,
    incrementExisting: boolean,
    attempt = 1,
  ): Promise<{ alert: Alert; created: boolean }> {
    const openKey = openKeyOf(input.rule, input);
    const id = randomUUID();
    await this.db('alerts')
      .insert({
        id,
        entity_ref: input.entityRef,
        instance_id: input.instanceId ?? null,
        resource_ref: input.resourceRef ?? null,
        rule: input.rule,
        severity: input.severity,
        state: 'open',
        open_key: openKey,
        count: input.count ?? 1,
        first_seen: input.firstSeen,
        last_seen: input.at,
        opened_at: input.at,
        message: input.message,
        details: JSON.stringify(input.details),
      })
      .onConflict('open_key')
      .ignore();
    const row = await this.db('alerts').where({ open_key: openKey }).first();
    if (!row && attempt < 3) {
      // The open alert that blocked our insert was resolved before the read.
      return this.open(input, incrementExisting, attempt + 1);
    }
    if (!row) {
      throw new ConflictError(
        `Alert ${input.rule} of ${input.entityRef} kept changing while being opened`,
      );
    }
    if (row.id === id) return { alert: toAlert(row), created: true };
    const updated = incrementExisting
      ? await this.update(row.id, {
          lastSeen: input.at,
          message: input.message,
          details: input.details,
          increment: true,
        })
      : undefined;
    return { alert: updated ?? toAlert(row), created: false };
  }

  /** Updates an open alert; undefined when it is not open (any more). */
  async update(id: string, update: AlertUpdate): Promise<Alert | undefined> {
    const columns: Row = { last_seen: update.lastSeen };
    if (update.message !== undefined) columns.message = update.message;
    if (update.details !== undefined) {
      columns.details = JSON.stringify(update.details);
    }
    if (update.increment) columns.count = this.db.raw('count + 1');
    const n = await this.db('alerts')
      .where({ id, state: 'open' })
      .update(columns);
    return n ? this.find(id) : undefined;
  }

  /** Resolves an open alert; undefined when it was not open. */
  async resolve(
    id: string,
    at: Date,
    details?: Record<string, unknown>,
  ): Promise<Alert | undefined> {
    const columns: Row = { state: 'resolved', open_key: null, resolved_at: at };
    if (details) columns.details = JSON.stringify(details);
    const n = await this.db('alerts')
      .where({ id, state: 'open' })
      .update(columns);
    return n ? this.find(id) : undefined;
  }

  /** Open alerts of one instance or gateway resource. */
  async listOpenFor(subject: AlertSubject): Promise<Alert[]> {
    const rows = await this.db('alerts')
      .where({ state: 'open', entity_ref: subject.entityRef })
      .andWhere(q =>
        subject.instanceId
          ? q.where('instance_id', subject.instanceId)
          : q.whereNull('instance_id'),
      )
      .andWhere(q =>
        subject.resourceRef
          ? q.where('resource_ref', subject.resourceRef)
          : q.whereNull('resource_ref'),
      );
    return rows.map(toAlert);
  }

  async listOpenByInstance(instanceId: string): Promise<Alert[]> {
    const rows = await this.db('alerts').where({
      state: 'open',
      instance_id: instanceId,
    });
    return rows.map(toAlert);
  }

  /** Every open alert about an instance, for the sweep after a restart. */
  async listOpenOfInstances(): Promise<Alert[]> {
    const rows = await this.db('alerts')
      .where({ state: 'open' })
      .whereNotNull('instance_id');
    return rows.map(toAlert);
  }

  async find(id: string): Promise<Alert | undefined> {
    const row = await this.db('alerts').where({ id }).first();
    return row ? toAlert(row) : undefined;
  }

  async get(id: string): Promise<Alert> {
    const alert = await this.find(id);
    if (!alert) throw new NotFoundError(`No alert '${id}'`);
    return alert;
  }

  /** An entity's alerts, open ones first, newest first within each state. */
  async list(query: AlertListQuery): Promise<Alert[]> {
    const q = this.db('alerts').where({ entity_ref: query.entityRef });
    if (query.state !== 'all') q.andWhere({ state: query.state });
    const rows = await q
      // 'open' sorts before 'resolved'.
      .orderBy([
        { column: 'state', order: 'asc' },
        { column: 'opened_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(query.limit);
    return rows.map(toAlert);
  }

  /**
   * Records who acknowledged an open alert. The first acknowledgement stands
   * (a second one changes nothing); a resolved alert is a ConflictError.
   */
  async acknowledge(
    id: string,
    by: string,
    at: Date,
  ): Promise<{ alert: Alert; changed: boolean }> {
    const n = await this.db('alerts')
      .where({ id, state: 'open' })
      .whereNull('acknowledged_at')
      .update({ acknowledged_by: by, acknowledged_at: at });
    const alert = await this.get(id);
    if (n) return { alert, changed: true };
    if (alert.state === 'resolved') {
      throw new ConflictError(
        `Alert '${id}' was resolved at ${alert.resolvedAt}; only open alerts can be acknowledged`,
      );
    }
    return { alert, changed: false };
  }
}
