import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import type {
  InstanceEvent,
  InstanceState,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { isActiveInstanceState } from '@internal/plugin-runner-common';
import type {
  CreateInstanceInput,
  InstancePatch,
  InstanceStore,
  LogStream,
  StoredLogLine,
} from './InstanceStore';

type Row = Record<string, any>;

// SQLite hands back epoch milliseconds or strings, PostgreSQL Date objects.
function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date =
    value instanceof Date ? value : new Date(value as string | number);
  return date.toISOString();
}

function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined || value === '') return fallback;
  return typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);
}

function toInstance(row: Row): RunnerInstance {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    state: row.state,
    configHash: row.config_hash ?? undefined,
    cacheKey: row.cache_key ?? undefined,
    imageId: row.image_id ?? undefined,
    containerId: row.container_id ?? undefined,
    ports: parseJson(row.ports, []),
    exitCode: row.exit_code ?? undefined,
    oomKilled: Boolean(row.oom_killed),
    failure: parseJson(row.failure, undefined),
    createdBy: row.created_by ?? undefined,
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
    startedAt: toIso(row.started_at),
    stoppedAt: toIso(row.stopped_at),
    runDeadline: toIso(row.run_deadline),
  };
}

function toColumns(patch: InstancePatch): Row {
  const columns: Row = {};
  const set = (column: string, value: unknown) => {
    if (value !== undefined) columns[column] = value;
  };
  set('config_hash', patch.configHash);
  set('cache_key', patch.cacheKey);
  set('image_id', patch.imageId);
  set('container_id', patch.containerId);
  set('ports', patch.ports && JSON.stringify(patch.ports));
  set('exit_code', patch.exitCode);
  set('oom_killed', patch.oomKilled);
  set(
    'failure',
    patch.failure === null
      ? null
      : patch.failure && JSON.stringify(patch.failure),
  );
  set('started_at', patch.startedAt);
  set('stopped_at', patch.stoppedAt);
  set('run_deadline', patch.runDeadline);
  return columns;
}

/** InstanceStore on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseInstanceStore implements InstanceStore {
  constructor(private readonly db: Knex) {}

  async create(input: CreateInstanceInput): Promise<RunnerInstance> {
    await this.db('instances').insert({
      id: input.id,
      entity_ref: input.entityRef,
      state: 'pending',
      config_hash: input.configHash ?? null,
      created_by: input.createdBy ?? null,
      ports: '[]',
    });
    try {
      await this.acquireSlot(input.id, input.entityRef, input.maxActive);
    } catch (error) {
      await this.db('instances').where({ id: input.id }).delete();
      throw error;
    }
    await this.db('instance_events').insert({
      instance_id: input.id,
      from_state: null,
      to_state: 'pending',
      message: 'start requested',
    });
    return (await this.get(input.id))!;
  }

  async acquireSlot(
    id: string,
    entityRef: string,
    maxActive: number,
  ): Promise<void> {
    for (let slot = 0; slot < maxActive; slot++) {
      // ON CONFLICT DO NOTHING: a taken slot (or one this instance already
      // holds) is skipped without aborting a PostgreSQL transaction.
      await this.db('instance_slots')
        .insert({ entity_ref: entityRef, slot, instance_id: id })
        .onConflict()
        .ignore();
      const held = await this.db('instance_slots')
        .where({ instance_id: id })
        .first();
      if (held) return;
    }
    throw new ConflictError(
      `${entityRef} already has ${maxActive} active instance(s), the maximum (runner maxInstancesPerEntity); stop one first`,
    );
  }

  async releaseSlot(id: string): Promise<void> {
    await this.db('instance_slots').where({ instance_id: id }).delete();
  }

  async get(id: string): Promise<RunnerInstance | undefined> {
    const row = await this.db('instances').where({ id }).first();
    return row ? toInstance(row) : undefined;
  }

  async list(filter: { entityRef?: string; states?: InstanceState[] } = {}) {
    const query = this.db('instances')
      .orderBy('created_at', 'desc')
      .orderBy('id');
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.states) query.whereIn('state', filter.states);
    return (await query.select()).map(toInstance);
  }

  async transition(
    id: string,
    from: readonly InstanceState[],
    to: InstanceState,
    patch: InstancePatch = {},
    message?: string,
  ): Promise<RunnerInstance | undefined> {
    const moved = await this.db.transaction(async tx => {
      const current = await tx('instances').where({ id }).first('state');
      if (!current || !from.includes(current.state)) return false;
      const count = await tx('instances')
        .where({ id, state: current.state })
        .update({ ...toColumns(patch), state: to, updated_at: tx.fn.now() });
      if (count !== 1) return false;
      await tx('instance_events').insert({
        instance_id: id,
        from_state: current.state,
        to_state: to,
        message: message ?? null,
      });
      if (!isActiveInstanceState(to)) {
        await tx('instance_slots').where({ instance_id: id }).delete();
      }
      return true;
    });
    return moved ? this.get(id) : undefined;
  }

  async update(id: string, patch: InstancePatch): Promise<void> {
    const count = await this.db('instances')
      .where({ id })
      .update({ ...toColumns(patch), updated_at: this.db.fn.now() });
    if (count !== 1) throw new NotFoundError(`No instance ${id}`);
  }

  async delete(id: string): Promise<void> {
    await this.db('instances').where({ id }).delete();
  }

  async events(id: string): Promise<InstanceEvent[]> {
    const rows = await this.db('instance_events')
      .where({ instance_id: id })
      .orderBy('id');
    return rows.map(row => ({
      id: Number(row.id),
      instanceId: row.instance_id,
      fromState: row.from_state ?? undefined,
      toState: row.to_state,
      message: row.message ?? undefined,
      at: toIso(row.at)!,
    }));
  }

  async appendLogs(
    id: string,
    stream: LogStream,
    lines: string[],
  ): Promise<void> {
    if (lines.length === 0) return;
    // Batches keep SQLite's bound-parameter limit out of reach.
    await this.db.batchInsert(
      'instance_logs',
      lines.map(line => ({ instance_id: id, stream, line })),
      200,
    );
  }

  async readLogs(
    id: string,
    stream: LogStream,
    options: { afterId?: number; tail?: number } = {},
  ): Promise<StoredLogLine[]> {
    const query = this.db('instance_logs').where({ instance_id: id, stream });
    if (options.afterId !== undefined) query.where('id', '>', options.afterId);
    let rows: Row[];
    if (options.tail !== undefined) {
      rows = (
        await query.orderBy('id', 'desc').limit(options.tail).select()
      ).reverse();
    } else {
      rows = await query.orderBy('id').select();
    }
    return rows.map(row => ({
      id: Number(row.id),
      stream: row.stream,
      line: row.line,
      at: toIso(row.at)!,
    }));
  }
}
