// Monitoring and alerts test data. Not exported from an entry point.
import type {
  Alert,
  ErrorEvent,
  InstanceHealth,
  InstanceMetrics,
  MetricName,
  MetricSeries,
} from '@internal/plugin-runner-common';
import { HELLO_REF } from './instances';

export const INSTANCE_ID = '3f2a1b2c-0000-4000-8000-000000000001';
export const ALERT_ID = 'a1e7a1e7-0000-4000-8000-000000000001';

const UNITS: Record<MetricName, MetricSeries['unit']> = {
  cpuRatio: 'ratio',
  memoryWorkingSetBytes: 'bytes',
  memoryLimitBytes: 'bytes',
  networkRxBytes: 'bytes',
  networkTxBytes: 'bytes',
  blockReadBytes: 'bytes',
  blockWriteBytes: 'bytes',
  pids: 'count',
};

/**
 * Metrics with `count` buckets 10 s apart from 2025-01-01T10:00:00Z: CPU
 * between 0.1 and 0.3 cores, 100–120 MiB of a 512 MiB limit, counters
 * growing by 10 KiB (network) and 4 KiB (block) per bucket.
 */
export function instanceMetrics(
  count = 6,
  overrides: Partial<InstanceMetrics> = {},
): InstanceMetrics {
  const start = Date.parse('2025-01-01T10:00:00Z');
  const timestamps = Array.from({ length: count }, (_, i) => start + i * 1e4);
  const series = (
    name: MetricName,
    avg: (i: number) => number,
    spread = 0,
  ): MetricSeries => ({
    name,
    unit: UNITS[name],
    min: timestamps.map((_, i) => avg(i) - spread),
    avg: timestamps.map((_, i) => avg(i)),
    max: timestamps.map((_, i) => avg(i) + spread),
  });
  const MiB = 1024 * 1024;
  return {
    instanceId: INSTANCE_ID,
    from: new Date(start).toISOString(),
    to: new Date(start + count * 1e4).toISOString(),
    stepMs: 10_000,
    source: 'raw',
    timestamps,
    series: [
      series('cpuRatio', () => 0.2, 0.1),
      series('memoryWorkingSetBytes', () => 110 * MiB, 10 * MiB),
      series('memoryLimitBytes', () => 512 * MiB),
      series('networkRxBytes', i => i * 10 * 1024),
      series('networkTxBytes', i => i * 5 * 1024),
      series('blockReadBytes', i => i * 4 * 1024),
      series('blockWriteBytes', i => i * 2 * 1024),
      series('pids', () => 7),
    ],
    ...overrides,
  };
}

export function instanceHealth(
  overrides: Partial<InstanceHealth> = {},
): InstanceHealth {
  return {
    instanceId: INSTANCE_ID,
    entityRef: HELLO_REF,
    instanceState: 'running',
    status: 'healthy',
    source: 'http',
    detail: 'HTTP 200 from /healthz',
    checkedAt: '2025-01-01T10:05:00.000Z',
    uptimeSeconds: 3725,
    startedAt: '2025-01-01T09:02:55.000Z',
    restartCount: 2,
    oomKilled: false,
    oomKills: 1,
    checks: [
      {
        at: '2025-01-01T10:05:00.000Z',
        status: 'healthy',
        source: 'http',
        detail: 'HTTP 200 from /healthz',
        latencyMs: 12,
      },
      {
        at: '2025-01-01T10:04:30.000Z',
        status: 'unhealthy',
        source: 'http',
        detail: 'HTTP 503 from /healthz',
        latencyMs: 40,
      },
    ],
    ...overrides,
  };
}

export function errorEvent(overrides: Partial<ErrorEvent> = {}): ErrorEvent {
  return {
    id: '42',
    entityRef: HELLO_REF,
    instanceId: INSTANCE_ID,
    operation: 'build',
    at: '2025-01-01T09:01:00.000Z',
    category: 'build',
    code: 'BUILD_STEP_FAILED',
    severity: 'high',
    recoverable: false,
    origin: 'user',
    userMessage: 'Step RUN npm ci failed with exit code 1.',
    remediation:
      'Fix the failing instruction in `docker/Dockerfile` and start again.',
    detail: 'npm ERR! missing script: build',
    ...overrides,
  };
}

export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: ALERT_ID,
    entityRef: HELLO_REF,
    instanceId: INSTANCE_ID,
    rule: 'memory',
    severity: 'high',
    state: 'open',
    count: 1,
    firstSeen: '2025-01-01T10:00:00.000Z',
    lastSeen: '2025-01-01T10:06:00.000Z',
    openedAt: '2025-01-01T10:05:00.000Z',
    message: 'Memory at 95% of its 512 MiB limit for 5 minutes.',
    details: { value: 0.95, threshold: 0.9 },
    ...overrides,
  };
}
