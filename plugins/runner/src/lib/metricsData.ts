import type {
  InstanceMetrics,
  MetricName,
  MetricSeries,
} from '@internal/plugin-runner-common';

/*
 * Turns the backend's column-wise metrics (timestamps + min/avg/max arrays)
 * into the row-wise data recharts draws, in display units: CPU in percent
 * of one core, memory in bytes, and the I/O counters as bytes per second
 * (a counter since container start says little on a chart; its rate does).
 */

/** A range the selector offers, and the bucket width asked for with it. */
export interface MetricsRange {
  key: '15m' | '1h' | '24h' | '7d';
  /** Short label on the button. */
  label: string;
  /** Spoken label and caption text. */
  description: string;
  ms: number;
  /**
   * Requested step: about 100–300 buckets per range, never finer than the
   * sampler's 10 s; 24 h and 7 d ask in whole 5 minutes because older data
   * comes from 5-minute rollups anyway.
   */
  step: string;
  stepMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const METRICS_RANGES: readonly MetricsRange[] = [
  {
    key: '15m',
    label: '15 m',
    description: 'last 15 minutes',
    ms: 15 * MINUTE,
    step: '10s',
    stepMs: 10_000,
  },
  {
    key: '1h',
    label: '1 h',
    description: 'last hour',
    ms: HOUR,
    step: '30s',
    stepMs: 30_000,
  },
  {
    key: '24h',
    label: '24 h',
    description: 'last 24 hours',
    ms: DAY,
    step: '5m',
    stepMs: 5 * MINUTE,
  },
  {
    key: '7d',
    label: '7 d',
    description: 'last 7 days',
    ms: 7 * DAY,
    step: '30m',
    stepMs: 30 * MINUTE,
  },
];

export const DEFAULT_RANGE: MetricsRange = METRICS_RANGES[1];

/**
 * How often to reload while the instance runs: never faster than the 10 s
 * the sampler writes at (issue "Entity tabs": no polling under 10 s), and no
 * faster than a bucket fills, up to a minute so the newest bucket of a long
 * range still moves.
 */
export function refreshIntervalMs(range: MetricsRange): number {
  return Math.max(10_000, Math.min(range.stepMs, MINUTE));
}

/** One x position of a chart; `null` values break the line (a gap). */
export interface ChartRow {
  t: number;
  [key: string]: number | null | [number, number];
}

function series(
  metrics: InstanceMetrics,
  name: MetricName,
): MetricSeries | undefined {
  return metrics.series.find(s => s.name === name);
}

function at(values: (number | null)[] | undefined, i: number): number | null {
  const value = values?.[i];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function scaled(value: number | null, factor: number): number | null {
  return value === null ? null : value * factor;
}

/**
 * Empty buckets are left out by the backend; without a marker recharts
 * would draw a straight line across the time the container was not
 * running. A row of nulls after any gap wider than two buckets breaks it.
 */
function withGaps(rows: ChartRow[], stepMs: number): ChartRow[] {
  const out: ChartRow[] = [];
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    if (previous && row.t - previous.t > 2 * stepMs) {
      const gap: ChartRow = { t: previous.t + stepMs };
      for (const key of Object.keys(row)) {
        if (key !== 't') gap[key] = null;
      }
      out.push(gap);
    }
    out.push(row);
  });
  return out;
}

/**
 * A series as avg line plus min–max band: `${key}` (avg), `${key}Min`,
 * `${key}Max`, and `${key}Band` ([min, max], which recharts draws as a
 * range area).
 */
function banded(
  row: ChartRow,
  key: string,
  s: MetricSeries | undefined,
  i: number,
  factor: number,
) {
  const avg = scaled(at(s?.avg, i), factor);
  const min = scaled(at(s?.min, i), factor) ?? avg;
  const max = scaled(at(s?.max, i), factor) ?? avg;
  row[key] = avg;
  row[`${key}Min`] = min;
  row[`${key}Max`] = max;
  row[`${key}Band`] = min !== null && max !== null ? [min, max] : null;
}

/** CPU in percent of one core (ratio × 100): `cpu`, `cpuMin`, `cpuMax`, `cpuBand`. */
export function cpuRows(metrics: InstanceMetrics): ChartRow[] {
  const cpu = series(metrics, 'cpuRatio');
  const rows = metrics.timestamps.map((t, i) => {
    const row: ChartRow = { t };
    banded(row, 'cpu', cpu, i, 100);
    return row;
  });
  return withGaps(rows, metrics.stepMs);
}

/** Working set in bytes (`memory`, `memoryMin`, …) and the limit (`limit`). */
export function memoryRows(metrics: InstanceMetrics): ChartRow[] {
  const memory = series(metrics, 'memoryWorkingSetBytes');
  const limit = series(metrics, 'memoryLimitBytes');
  const rows = metrics.timestamps.map((t, i) => {
    const row: ChartRow = { t };
    banded(row, 'memory', memory, i, 1);
    row.limit = at(limit?.max, i) ?? at(limit?.avg, i);
    return row;
  });
  return withGaps(rows, metrics.stepMs);
}

/**
 * Bytes per second of two counters (e.g. rx and tx) under the keys given.
 * The rate of a bucket is the growth of the counter's maximum since the
 * previous bucket over the time between them. A counter that went down
 * (the container restarted and counts from zero) or a gap wider than two
 * buckets gives no rate rather than a wrong one.
 */
export function rateRows(
  metrics: InstanceMetrics,
  counters: Array<{ name: MetricName; key: string }>,
): ChartRow[] {
  const { timestamps, stepMs } = metrics;
  const found = counters.map(c => ({ ...c, s: series(metrics, c.name) }));
  const rows = timestamps.map((t, i) => {
    const row: ChartRow = { t };
    for (const { key, s } of found) {
      const now = at(s?.max, i) ?? at(s?.avg, i);
      const before = i > 0 ? at(s?.max, i - 1) ?? at(s?.avg, i - 1) : null;
      const seconds = i > 0 ? (t - timestamps[i - 1]) / 1000 : 0;
      const usable =
        now !== null &&
        before !== null &&
        now >= before &&
        seconds > 0 &&
        t - timestamps[i - 1] <= 2 * stepMs;
      row[key] = usable ? (now - before) / seconds : null;
    }
    return row;
  });
  return withGaps(rows, stepMs);
}

/** The last non-null value of a key, and the largest one. */
export function latestAndPeak(
  rows: ChartRow[],
  key: string,
  peakKey = key,
): { latest?: number; peak?: number } {
  let latest: number | undefined;
  let peak: number | undefined;
  for (const row of rows) {
    const value = row[key];
    if (typeof value === 'number') latest = value;
    const top = row[peakKey];
    if (typeof top === 'number' && (peak === undefined || top > peak)) {
      peak = top;
    }
  }
  return { latest, peak };
}

/** The CPU limit in percent of one core, from Docker's NanoCpus (cores × 1e9). */
export function cpuLimitPercent(nanoCpus: unknown): number | undefined {
  return typeof nanoCpus === 'number' && nanoCpus > 0
    ? (nanoCpus / 1e9) * 100
    : undefined;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * The binary unit that keeps `max` between 1 and 1024, for the ticks of an
 * axis: every tick of one axis in the same unit reads better than a mix.
 */
export function byteScale(max: number): { unit: string; divisor: number } {
  let unit = 0;
  let divisor = 1;
  while (max / divisor >= 1024 && unit < BYTE_UNITS.length - 1) {
    divisor *= 1024;
    unit++;
  }
  return { unit: BYTE_UNITS[unit], divisor };
}

function trimmed(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1).replace(/\.0$/, '');
  return value.toFixed(2).replace(/\.?0+$/, '');
}

/** `512 MiB`, `1.5 KiB`: a value in its own best unit (tooltips, captions). */
export function formatBytesValue(bytes: number): string {
  const { unit, divisor } = byteScale(Math.abs(bytes));
  return `${trimmed(bytes / divisor)} ${unit}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytesValue(bytesPerSecond)}/s`;
}

export function formatPercent(percent: number): string {
  return `${trimmed(percent)} %`;
}

/** The largest number under the given keys (for the axis unit). */
export function maxOf(rows: ChartRow[], keys: string[]): number {
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const value = row[key];
      if (typeof value === 'number' && value > max) max = value;
    }
  }
  return max;
}
