import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDurationMs } from '../config/duration';

/** `runner.monitoring`, validated, defaults filled in. */
export interface MonitoringConfig {
  /** How often the lead's scheduled task calls `MetricsSampler.sampleOnce()`. */
  sampleIntervalMs: number;
  /** Containers whose stats are read at once. */
  sampleConcurrency: number;
  retention: {
    /** Raw samples are deleted after this. */
    rawMs: number;
    /** 5-minute rollups are deleted after this. */
    downsampledMs: number;
    /** Error history is deleted after this. */
    errorsMs: number;
  };
  health: {
    /** Time limit of one HTTP probe. */
    timeoutMs: number;
    /** After a start, failed HTTP probes count as `starting`, not `unhealthy`, for this long. */
    startPeriodMs: number;
    /** Checks kept per instance. */
    historySize: number;
  };
}

export const MONITORING_DEFAULTS: MonitoringConfig = {
  sampleIntervalMs: 10_000,
  sampleConcurrency: 32,
  retention: {
    rawMs: 24 * 3_600_000,
    downsampledMs: 7 * 24 * 3_600_000,
    errorsMs: 30 * 24 * 3_600_000,
  },
  health: { timeoutMs: 2_000, startPeriodMs: 30_000, historySize: 20 },
};

/** Downsampled rows are this wide; raw samples must outlive one of them. */
export const ROLLUP_BUCKET_MS = 5 * 60_000;

const PREFIX = 'runner.monitoring';

function duration(
  config: Config | undefined,
  key: string,
  fallback: number,
): number {
  return (
    (config && readOptionalDurationMs(config, key, `${PREFIX}.${key}`)) ??
    fallback
  );
}

function integer(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = config?.getOptional(key);
  if (raw === undefined) return fallback;
  if (
    typeof raw !== 'number' ||
    !Number.isInteger(raw) ||
    raw < min ||
    raw > max
  ) {
    throw new InputError(
      `Invalid config at '${PREFIX}.${key}': ${JSON.stringify(
        raw,
      )} must be a whole number from ${min} to ${max}`,
    );
  }
  return raw;
}

function atLeast(key: string, valueMs: number, minMs: number, why: string) {
  if (valueMs < minMs) {
    throw new InputError(
      `Invalid config at '${PREFIX}.${key}': must be at least ${
        minMs / 1000
      } s (${why})`,
    );
  }
}

/**
 * Reads `runner.monitoring` from the root config. Every error names the full
 * config key. Durations take milliseconds, `10s`/`24h`, or ISO 8601.
 */
export function readMonitoringConfig(root: Config): MonitoringConfig {
  const config = root.getOptionalConfig(PREFIX);
  const d = MONITORING_DEFAULTS;
  const sampleIntervalMs = duration(
    config,
    'sampleInterval',
    d.sampleIntervalMs,
  );
  atLeast(
    'sampleInterval',
    sampleIntervalMs,
    1_000,
    'the engine needs about a second per stats read',
  );
  const rawMs = duration(config, 'retention.raw', d.retention.rawMs);
  // The rollup of a 5-minute bucket runs after the bucket ends; raw rows must still be there.
  atLeast(
    'retention.raw',
    rawMs,
    2 * ROLLUP_BUCKET_MS,
    'raw samples are downsampled in 5-minute buckets after they end',
  );
  const downsampledMs = duration(
    config,
    'retention.downsampled',
    d.retention.downsampledMs,
  );
  if (downsampledMs < rawMs) {
    throw new InputError(
      `Invalid config at '${PREFIX}.retention.downsampled': must not be shorter than ${PREFIX}.retention.raw`,
    );
  }
  const errorsMs = duration(config, 'retention.errors', d.retention.errorsMs);
  const timeoutMs = duration(config, 'health.timeout', d.health.timeoutMs);
  if (timeoutMs > 30_000) {
    throw new InputError(
      `Invalid config at '${PREFIX}.health.timeout': must be at most 30 s; a health probe should answer fast`,
    );
  }
  return {
    sampleIntervalMs,
    sampleConcurrency: integer(
      config,
      'sampleConcurrency',
      d.sampleConcurrency,
      1,
      64,
    ),
    retention: { rawMs, downsampledMs, errorsMs },
    health: {
      timeoutMs,
      startPeriodMs: duration(
        config,
        'health.startPeriod',
        d.health.startPeriodMs,
      ),
      historySize: integer(
        config,
        'health.history',
        d.health.historySize,
        1,
        1_000,
      ),
    },
  };
}
