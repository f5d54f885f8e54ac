import type { MetricName, MetricUnit } from '@internal/plugin-runner-common';

/**
 * Each metric's column in metric_samples, and the `<column>_min/_avg/_max`
 * columns in metric_rollups. Column names are constants from this table,
 * never from a request, so building SQL from them is safe.
 */
export interface MetricColumn {
  name: MetricName;
  column: string;
  unit: MetricUnit;
  /** Only CPU is missing from a sample (a container's first one). */
  nullable: boolean;
}

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  { name: 'cpuRatio', column: 'cpu', unit: 'ratio', nullable: true },
  {
    name: 'memoryWorkingSetBytes',
    column: 'memory',
    unit: 'bytes',
    nullable: false,
  },
  {
    name: 'memoryLimitBytes',
    column: 'memory_limit',
    unit: 'bytes',
    nullable: false,
  },
  { name: 'networkRxBytes', column: 'net_rx', unit: 'bytes', nullable: false },
  { name: 'networkTxBytes', column: 'net_tx', unit: 'bytes', nullable: false },
  {
    name: 'blockReadBytes',
    column: 'blk_read',
    unit: 'bytes',
    nullable: false,
  },
  {
    name: 'blockWriteBytes',
    column: 'blk_write',
    unit: 'bytes',
    nullable: false,
  },
  { name: 'pids', column: 'pids', unit: 'count', nullable: false },
];

/** SQLite and pg hand back BIGINT and NUMERIC as strings or numbers; null stays null. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Bucket widths are written into SQL text (PostgreSQL needs the GROUP BY
 * expression to match the selected one, which bound parameters prevent).
 * They are integers the code computed; anything else is refused here.
 */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`not a positive integer: ${value}`);
  }
  return String(value);
}
