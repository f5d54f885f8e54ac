import type { ErrorStore } from '../errors/ErrorStore';
import type { MonitoringConfig } from './config';
import type { HealthCheckStore } from './HealthCheckStore';
import type { MetricsStore, RollupReport } from './MetricsStore';

export interface CleanupReport {
  rollupRows: number;
  deleted: {
    rawSamples: number;
    rollups: number;
    healthChecks: number;
    errorEvents: number;
  };
}

export interface MonitoringRetentionOptions {
  metrics: Pick<MetricsStore, 'rollup' | 'deleteOlderThan'>;
  checks: Pick<HealthCheckStore, 'deleteOlderThan'>;
  errors: Pick<ErrorStore, 'deleteOlderThan'>;
  retention: MonitoringConfig['retention'];
}

/**
 * The scheduled housekeeping of the monitoring history. The lead schedules
 * `cleanup(new Date())` every few minutes (scope `global`); it downsamples
 * first, so raw samples are never deleted before their rollup exists, even
 * when the task did not run for a while.
 */
export class MonitoringRetention {
  constructor(private readonly options: MonitoringRetentionOptions) {}

  /** Downsamples finished 5-minute buckets; part of `cleanup`, exposed for tests and benchmarks. */
  rollup(now: Date): Promise<RollupReport> {
    return this.options.metrics.rollup(now);
  }

  async cleanup(now: Date): Promise<CleanupReport> {
    const { retention } = this.options;
    const before = (ms: number) => new Date(now.getTime() - ms);
    const rolled = await this.rollup(now);
    const metrics = await this.options.metrics.deleteOlderThan(
      before(retention.rawMs),
      before(retention.downsampledMs),
    );
    // The newest checks of each instance are trimmed on insert; this takes
    // the checks of instances that stopped long ago.
    const healthChecks = await this.options.checks.deleteOlderThan(
      before(retention.downsampledMs),
    );
    const errorEvents = await this.options.errors.deleteOlderThan(
      before(retention.errorsMs),
    );
    return {
      rollupRows: rolled.rows,
      deleted: {
        rawSamples: metrics.raw,
        rollups: metrics.rollups,
        healthChecks,
        errorEvents,
      },
    };
  }
}
