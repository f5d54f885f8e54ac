export {
  readMonitoringConfig,
  MONITORING_DEFAULTS,
  ROLLUP_BUCKET_MS,
} from './config';
export type { MonitoringConfig } from './config';
export { MetricsStore } from './MetricsStore';
export type { LatestSample, RollupReport } from './MetricsStore';
export { MetricsSampler } from './MetricsSampler';
export type {
  MetricsSamplerOptions,
  SamplingRound,
  SamplerTotals,
} from './MetricsSampler';
export { HealthCheckStore } from './HealthCheckStore';
export { HealthProber } from './HealthProber';
export type { HealthProberOptions } from './HealthProber';
export { MonitoringRetention } from './MonitoringRetention';
export type {
  CleanupReport,
  MonitoringRetentionOptions,
} from './MonitoringRetention';
export {
  RunnerMetrics,
  renderExposition,
  PROMETHEUS_CONTENT_TYPE,
} from './prometheus';
export type { MetricFamily, RunnerMetricsOptions } from './prometheus';
export { MAX_POINTS } from './metricsQuery';
export type { MetricsRange } from './metricsQuery';
