import type { Knex } from 'knex';
import type {
  InstanceMetrics,
  InstanceState,
  MetricSample,
} from '@internal/plugin-runner-common';
import { ROLLUP_BUCKET_MS } from './config';
import { METRIC_COLUMNS, sqlInteger, toNumber } from './metricColumns';
import { queryMetrics, type MetricsRange } from './metricsQuery';

/** The latest sample of a running instance, for the operator metrics. */
export interface LatestSample extends MetricSample {
  entityRef: string;
}

export interface RollupReport {
  /** Rollup rows written. */
  rows: number;
  /** Buckets before this time (epoch ms) are downsampled. */
  watermark?: number;
}

/** Hours of raw samples downsampled per statement, to keep transactions short. */
const ROLLUP_CHUNK_MS = 6 * 3_600_000;

function toRow(sample: MetricSample): Record<string, unknown> {
  return {
    instance_id: sample.instanceId,
    at: Date.parse(sample.at),
    cpu: sample.cpuRatio ?? null,
    memory: Math.round(sample.memoryWorkingSetBytes),
    memory_limit: Math.round(sample.memoryLimitBytes),
    net_rx: Math.round(sample.networkRxBytes),
    net_tx: Math.round(sample.networkTxBytes),
    blk_read: Math.round(sample.blockReadBytes),
    blk_write: Math.round(sample.blockWriteBytes),
    pids: Math.round(sample.pids),
  };
}

/**
 * Metrics history in the plugin database: raw samples, 5-minute rollups, and
 * the queries over them. Owns all SQL on metric_samples and metric_rollups.
 */
export class MetricsStore {
  constructor(
    private readonly knex: Knex,
    private readonly options: {
      /** Raw samples older than this are gone; older ranges are answered from rollups. */
      rawRetentionMs: number;
    },
  ) {}

  /** Inserts one sampling round. A sample already stored for the same instance and millisecond is kept. */
  async insert(samples: MetricSample[]): Promise<void> {
    if (samples.length === 0) return;
    const rows = samples.map(toRow);
    // 10 columns a row; SQLite allows 999 bound values a statement.
    for (let i = 0; i < rows.length; i += 90) {
      const chunk = rows.slice(i, i + 90);
      try {
        await this.insertRows(chunk);
      } catch (error) {
        // An instance removed while its stats were read fails the foreign
        // key for the whole statement; the others' samples are still good.
        const ids = [...new Set(chunk.map(r => r.instance_id as string))];
        const existing = new Set(
          (await this.knex('instances').whereIn('id', ids).select('id')).map(
            r => r.id,
          ),
        );
        if (existing.size === ids.length) throw error;
        await this.insertRows(
          chunk.filter(r => existing.has(r.instance_id as string)),
        );
      }
    }
  }

  private async insertRows(rows: Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.knex('metric_samples')
      .insert(rows)
      .onConflict(['instance_id', 'at'])
      .ignore();
  }

  /**
   * Downsamples every complete 5-minute bucket not downsampled yet into
   * metric_rollups (min/avg/max per metric). A bucket counts as complete
   * `graceMs` after it ends, so that samples of a round still being written
   * are not left out. Idempotent: a bucket range is deleted and rewritten in
   * one transaction.
   */
  async rollup(now: Date, graceMs = 60_000): Promise<RollupReport> {
    const bucket = ROLLUP_BUCKET_MS;
    const until = Math.floor((now.getTime() - graceMs) / bucket) * bucket;
    const [{ last }] = await this.knex('metric_rollups').max({
      last: 'bucket_start',
    });
    let since: number;
    if (toNumber(last) !== null) {
      since = toNumber(last)! + bucket;
    } else {
      const [{ first }] = await this.knex('metric_samples').min({
        first: 'at',
      });
      if (toNumber(first) === null) return { rows: 0 };
      since = Math.floor(toNumber(first)! / bucket) * bucket;
    }
    let rows = 0;
    for (let start = since; start < until; start += ROLLUP_CHUNK_MS) {
      const end = Math.min(start + ROLLUP_CHUNK_MS, until);
      rows += await this.rollupRange(start, end);
    }
    return { rows, watermark: Math.max(since, until) };
  }

  private async rollupRange(start: number, end: number): Promise<number> {
    const b = sqlInteger(ROLLUP_BUCKET_MS);
    const aggregates = METRIC_COLUMNS.flatMap(({ column: c }) => [
      `MIN(${c}) AS ${c}_min`,
      `AVG(${c}) AS ${c}_avg`,
      `MAX(${c}) AS ${c}_max`,
    ]);
    const columns = [
      'instance_id',
      'bucket_start',
      'bucket_ms',
      'samples',
      'cpu_samples',
      ...METRIC_COLUMNS.flatMap(({ column: c }) => [
        `${c}_min`,
        `${c}_avg`,
        `${c}_max`,
      ]),
    ];
    return this.knex.transaction(async trx => {
      await trx('metric_rollups')
        .where('bucket_start', '>=', start)
        .andWhere('bucket_start', '<', end)
        .delete();
      const select = trx('metric_samples')
        .select(
          'instance_id',
          trx.raw(`CAST(at / ${b} AS BIGINT) * ${b} AS bucket_start`),
          trx.raw(`${b} AS bucket_ms`),
          trx.raw('COUNT(*) AS samples'),
          trx.raw('COUNT(cpu) AS cpu_samples'),
          ...aggregates.map(a => trx.raw(a)),
        )
        .where('at', '>=', start)
        .andWhere('at', '<', end)
        .groupBy('instance_id', trx.raw(`CAST(at / ${b} AS BIGINT)`));
      await trx
        .into(
          trx.raw(`?? (${columns.map(() => '??').join(', ')})`, [
            'metric_rollups',
            ...columns,
          ]),
        )
        .insert(select);
      const [{ n }] = await trx('metric_rollups')
        .where('bucket_start', '>=', start)
        .andWhere('bucket_start', '<', end)
        .count({ n: '*' });
      return Number(n);
    });
  }

  /** Deletes raw samples before `rawBefore` and rollups before `rollupsBefore`. */
  async deleteOlderThan(
    rawBefore: Date,
    rollupsBefore: Date,
  ): Promise<{ raw: number; rollups: number }> {
    const raw = await this.knex('metric_samples')
      .where('at', '<', rawBefore.getTime())
      .delete();
    const rollups = await this.knex('metric_rollups')
      .where('bucket_start', '<', rollupsBefore.getTime())
      .delete();
    return { raw, rollups };
  }

  /** Min/avg/max per time bucket, aggregated by the database; see metricsQuery.ts. */
  query(instanceId: string, range: MetricsRange): Promise<InstanceMetrics> {
    return queryMetrics(this.knex, instanceId, range, {
      rawRetentionMs: this.options.rawRetentionMs,
    });
  }

  /** The newest sample of every running instance taken since `since`. */
  async latest(since: Date): Promise<LatestSample[]> {
    const newest = this.knex('metric_samples')
      .select('instance_id')
      .max({ at: 'at' })
      .where('at', '>=', since.getTime())
      .groupBy('instance_id')
      .as('newest');
    const rows = await this.knex('metric_samples as s')
      .join(newest, function on() {
        this.on('s.instance_id', '=', 'newest.instance_id').andOn(
          's.at',
          '=',
          'newest.at',
        );
      })
      .join('instances as i', 'i.id', 's.instance_id')
      .where('i.state', 'running')
      .select('s.*', 'i.entity_ref');
    return rows.map(row => ({
      instanceId: row.instance_id,
      entityRef: row.entity_ref,
      at: new Date(Number(row.at)).toISOString(),
      cpuRatio: toNumber(row.cpu) ?? undefined,
      memoryWorkingSetBytes: Number(row.memory),
      memoryLimitBytes: Number(row.memory_limit),
      networkRxBytes: Number(row.net_rx),
      networkTxBytes: Number(row.net_tx),
      blockReadBytes: Number(row.blk_read),
      blockWriteBytes: Number(row.blk_write),
      pids: Number(row.pids),
    }));
  }

  /**
   * Instances per state, for `runner_instances{state}`. Reads the instances
   * table (owned by instances/) with one aggregate, instead of loading every
   * instance row to count them.
   */
  async countInstancesByState(): Promise<Map<InstanceState, number>> {
    const rows: { state: InstanceState; n: number | string }[] =
      await this.knex('instances')
        .select('state')
        .count({ n: '*' })
        .groupBy('state');
    return new Map(rows.map(r => [r.state, Number(r.n)]));
  }
}
