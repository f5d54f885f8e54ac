import type { CategorizedError } from './errors/types';
import type { InstanceState } from './instances';

/*
 * What the monitoring routes return: metrics history of an instance, its
 * health, and the categorized error history. Units are base units (bytes,
 * seconds); CPU is a ratio of one core, so 1.5 is one and a half cores busy.
 */

/**
 * The series every metrics sample carries.
 *
 * - `cpuRatio`: CPU used, as a ratio of one core (0..number of cores), like
 *   `docker stats` CPU % divided by 100. Absent on a container's first sample:
 *   CPU use needs two samples.
 * - `memoryWorkingSetBytes`: memory usage minus inactive page cache, as
 *   `docker stats` shows it; `memoryLimitBytes` is the container's limit.
 * - `networkRxBytes`, `networkTxBytes`, `blockReadBytes`, `blockWriteBytes`:
 *   counters since the container started (all interfaces / devices summed).
 * - `pids`: processes and threads in the container.
 *
 * @public
 */
export const METRIC_NAMES = [
  'cpuRatio',
  'memoryWorkingSetBytes',
  'memoryLimitBytes',
  'networkRxBytes',
  'networkTxBytes',
  'blockReadBytes',
  'blockWriteBytes',
  'pids',
] as const;

/** @public */
export type MetricName = (typeof METRIC_NAMES)[number];

/** @public */
export type MetricUnit = 'ratio' | 'bytes' | 'count';

/**
 * One sample of one instance's container, as the sampler computed it.
 *
 * @public
 */
export interface MetricSample {
  instanceId: string;
  /** When the sample was taken (ISO 8601). */
  at: string;
  cpuRatio?: number;
  memoryWorkingSetBytes: number;
  memoryLimitBytes: number;
  networkRxBytes: number;
  networkTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  pids: number;
}

/**
 * One metric over time, aggregated per bucket. The arrays line up with
 * {@link InstanceMetrics.timestamps}; `null` where the bucket holds no value.
 *
 * @public
 */
export interface MetricSeries {
  name: MetricName;
  unit: MetricUnit;
  min: (number | null)[];
  avg: (number | null)[];
  max: (number | null)[];
}

/**
 * Body of `GET /api/runner/instances/:id/metrics`: the buckets that hold
 * samples (empty buckets are left out), each series' min/avg/max per bucket.
 *
 * @public
 */
export interface InstanceMetrics {
  instanceId: string;
  from: string;
  to: string;
  /** Width of a bucket in milliseconds; may be wider than the requested step (at most ~600 buckets). */
  stepMs: number;
  /** Where the numbers came from: raw samples, downsampled rows, or both (older part downsampled). */
  source: 'raw' | 'rollup' | 'rollup+raw';
  /** Start of every bucket, epoch milliseconds, ascending. */
  timestamps: number[];
  series: MetricSeries[];
}

/**
 * Health of an instance. `stopped` means not running because someone stopped
 * it (or its container just exited); `failed`, not running because the
 * instance failed (a build, a crash, an OOM kill: its failure says which).
 * Neither is `unhealthy`, which is a running container failing its checks.
 * `unknown`: running, but there is nothing to check (no HEALTHCHECK and no
 * health path) or the check itself could not run.
 *
 * @public
 */
export type HealthStatus =
  | 'healthy'
  | 'unhealthy'
  | 'starting'
  | 'stopped'
  | 'failed'
  | 'unknown';

/**
 * Where a health status came from: Docker's HEALTHCHECK, an HTTP GET of the
 * health path through the published port, or the instance/container state.
 *
 * @public
 */
export type HealthSource = 'docker' | 'http' | 'state';

/** One persisted health check. @public */
export interface HealthCheck {
  at: string;
  status: HealthStatus;
  source: HealthSource;
  /** Why, in words: e.g. `HTTP 503 from /healthz`, `exited with code 3`. */
  detail?: string;
  /** How long an HTTP probe took. */
  latencyMs?: number;
}

/**
 * Body of `GET /api/runner/instances/:id/health`.
 *
 * @public
 */
export interface InstanceHealth {
  instanceId: string;
  entityRef: string;
  instanceState: InstanceState;
  status: HealthStatus;
  source: HealthSource;
  detail?: string;
  checkedAt: string;
  /** Seconds since the container started, while it runs. */
  uptimeSeconds?: number;
  startedAt?: string;
  /** Times the instance was restarted (through the runner; the engine never restarts containers by itself). */
  restartCount: number;
  /** Whether the last container was killed for exceeding its memory limit. */
  oomKilled: boolean;
  /** OOM kills over the instance's life, from the error history. */
  oomKills: number;
  exitCode?: number;
  /** The latest checks, newest first (this one included). */
  checks: HealthCheck[];
}

/**
 * One failure in the error history: the categorized error, whom it concerns
 * and when. `detail` is redacted before it is stored.
 *
 * @public
 */
export type ErrorEvent = CategorizedError & {
  id: string;
  entityRef: string;
  /** The instance that failed, when an instance did. */
  instanceId?: string;
  /** Another resource that failed, e.g. a gateway object `HTTPRoute runner-examples/hello`. */
  resourceRef?: string;
  /** What was being done: source, build, run, stop, gateway-apply, … */
  operation?: string;
  at: string;
};

/**
 * Body of `GET /api/runner/errors` and `GET /api/runner/instances/:id/errors`,
 * newest first. A page may hold fewer than `limit` items (entities the caller
 * may not read are left out); fetch again with `cursor=nextCursor` until
 * `nextCursor` is absent.
 *
 * @public
 */
export interface ErrorEventPage {
  items: ErrorEvent[];
  nextCursor?: string;
}
