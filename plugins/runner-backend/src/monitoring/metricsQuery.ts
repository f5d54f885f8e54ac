import type { Knex } from 'knex';
import type {
  InstanceMetrics,
  MetricSeries,
} from '@internal/plugin-runner-common';
import { ROLLUP_BUCKET_MS } from './config';
import { METRIC_COLUMNS, sqlInteger, toNumber } from './metricColumns';

/** At most this many buckets per series, whatever step is asked for. */
export const MAX_POINTS = 600;

export interface MetricsRange {
  from: Date;
  to: Date;
  /** Requested bucket width; widened when the range would need more than MAX_POINTS buckets. */
  stepMs?: number;
  /** Defaults to the current time; decides whether raw samples still cover `from`. */
  now?: Date;
}

/** How one query is answered: bucket width, and which table covers which part. */
export interface QueryPlan {
  stepMs: number;
  /** First bucket start (`from` aligned down to the step). */
  start: number;
  /** Inclusive end (`to`). */
  end: number;
  /** Rollups cover [start, split), raw samples [split, end]. split = start: raw only. */
  split: number;
}

/**
 * The bucket width: the requested step, widened to keep at most MAX_POINTS
 * buckets, whole seconds, and a multiple of the rollup width when rollups
 * are read (a 5-minute row must fall inside one bucket). Buckets are aligned
 * to multiples of the step since the epoch, so that the same step always
 * yields the same buckets and charts do not shimmer as time moves on.
 */
export function bucketWidth(
  rangeMs: number,
  requestedMs: number | undefined,
  readsRollups: boolean,
): number {
  // MAX_POINTS - 1: an unaligned range touches one bucket more than range/step.
  const forPoints = Math.ceil(rangeMs / (MAX_POINTS - 1));
  let step = Math.max(requestedMs ?? 0, forPoints, 1_000);
  step = Math.ceil(step / 1_000) * 1_000;
  if (readsRollups) {
    step = Math.ceil(step / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  }
  return step;
}

/** One side of the union: per-bucket partial aggregates (count, min, sum, max). */
function rawPart(step: string): string {
  const metrics = METRIC_COLUMNS.map(
    ({ column: c }) =>
      `MIN(${c}) AS ${c}_min, SUM(${c}) AS ${c}_sum, MAX(${c}) AS ${c}_max`,
  );
  return `SELECT CAST(at / ${step} AS BIGINT) AS b, COUNT(*) AS n, COUNT(cpu) AS cpu_n, ${metrics.join(
    ', ',
  )}
    FROM metric_samples WHERE instance_id = ? AND at >= ? AND at <= ?
    GROUP BY CAST(at / ${step} AS BIGINT)`;
}

function rollupPart(step: string): string {
  const metrics = METRIC_COLUMNS.map(
    ({ column: c, nullable }) =>
      `MIN(${c}_min) AS ${c}_min, SUM(${c}_avg * ${
        nullable ? 'cpu_samples' : 'samples'
      }) AS ${c}_sum, MAX(${c}_max) AS ${c}_max`,
  );
  return `SELECT CAST(bucket_start / ${step} AS BIGINT) AS b, SUM(samples) AS n, SUM(cpu_samples) AS cpu_n, ${metrics.join(
    ', ',
  )}
    FROM metric_rollups WHERE instance_id = ? AND bucket_start >= ? AND bucket_start < ?
    GROUP BY CAST(bucket_start / ${step} AS BIGINT)`;
}

/** Re-aggregates the parts per bucket; the average is the sum over the count of values. */
function outer(parts: string[]): string {
  const metrics = METRIC_COLUMNS.map(
    ({ column: c, nullable }) =>
      `MIN(${c}_min) AS ${c}_min, CAST(SUM(${c}_sum) AS DOUBLE PRECISION) / NULLIF(SUM(${
        nullable ? 'cpu_n' : 'n'
      }), 0) AS ${c}_avg, MAX(${c}_max) AS ${c}_max`,
  );
  return `SELECT b, ${metrics.join(', ')}
    FROM (${parts.join(' UNION ALL ')}) parts
    GROUP BY b ORDER BY b`;
}

/**
 * Plans the query: raw samples when they still cover `from`; otherwise the
 * rollups up to the newest one of this instance, and raw samples after it
 * (the last minutes are not downsampled yet).
 */
async function plan(
  knex: Knex,
  instanceId: string,
  range: MetricsRange,
  rawRetentionMs: number,
): Promise<QueryPlan> {
  const from = range.from.getTime();
  const end = range.to.getTime();
  const now = (range.now ?? new Date()).getTime();
  const readsRollups = from < now - rawRetentionMs;
  const stepMs = bucketWidth(end - from, range.stepMs, readsRollups);
  const start = Math.floor(from / stepMs) * stepMs;
  if (!readsRollups) return { stepMs, start, end, split: start };
  const [{ last }] = await knex('metric_rollups')
    .where('instance_id', instanceId)
    .andWhere('bucket_start', '>=', start)
    .andWhere('bucket_start', '<=', end)
    .max({ last: 'bucket_start' });
  const newest = toNumber(last);
  const split =
    newest === null ? start : Math.min(newest + ROLLUP_BUCKET_MS, end + 1);
  return { stepMs, start, end, split };
}

/**
 * The metrics of one instance between `from` and `to`: min/avg/max of every
 * metric per time bucket, grouped and aggregated by the database (SQLite or
 * PostgreSQL) so that at most MAX_POINTS rows ever reach JavaScript.
 */
export async function queryMetrics(
  knex: Knex,
  instanceId: string,
  range: MetricsRange,
  options: { rawRetentionMs: number },
): Promise<InstanceMetrics> {
  const p = await plan(knex, instanceId, range, options.rawRetentionMs);
  const step = sqlInteger(p.stepMs);
  const parts: string[] = [];
  const bindings: (string | number)[] = [];
  if (p.split > p.start) {
    parts.push(rollupPart(step));
    bindings.push(instanceId, p.start, p.split);
  }
  if (p.split <= p.end) {
    parts.push(rawPart(step));
    bindings.push(instanceId, p.split, p.end);
  }
  const result = await knex.raw(outer(parts), bindings);
  // knex.raw answers with the driver's shape: pg a result object, SQLite the rows.
  const rows: Record<string, unknown>[] = Array.isArray(result)
    ? result
    : result.rows;

  const series: MetricSeries[] = METRIC_COLUMNS.map(({ name, unit }) => ({
    name,
    unit,
    min: [],
    avg: [],
    max: [],
  }));
  const timestamps: number[] = [];
  for (const row of rows) {
    timestamps.push(Number(row.b) * p.stepMs);
    METRIC_COLUMNS.forEach(({ column }, i) => {
      series[i].min.push(toNumber(row[`${column}_min`]));
      series[i].avg.push(toNumber(row[`${column}_avg`]));
      series[i].max.push(toNumber(row[`${column}_max`]));
    });
  }
  let source: InstanceMetrics['source'] = 'raw';
  if (p.split > p.start) source = p.split > p.end ? 'rollup' : 'rollup+raw';
  return {
    instanceId,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    stepMs: p.stepMs,
    source,
    timestamps,
    series,
  };
}
