import type {
  ErrorEvent,
  InstanceState,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { LatestSample, MetricsStore } from './MetricsStore';
import type { SamplerTotals } from './MetricsSampler';

/*
 * Operator metrics in the Prometheus text exposition format (version 0.0.4):
 * base units (bytes, seconds), `_total` counters, CPU as cores used.
 *
 * Gauges of instances come from the database, so every backend replica
 * answers the same whichever one sampled. Counters (builds, errors, sampling
 * rounds) count what happened in this process since it started, as
 * Prometheus counters do: a scrape of each replica, summed, is the total.
 */

export type MetricType = 'gauge' | 'counter';

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: { labels?: Record<string, string>; value: number }[];
}

export const PROMETHEUS_CONTENT_TYPE =
  'text/plain; version=0.0.4; charset=utf-8';

const INSTANCE_STATES: InstanceState[] = [
  'pending',
  'building',
  'starting',
  'running',
  'stopping',
  'stopped',
  'failed',
];
const BUILD_RESULTS = ['success', 'failure', 'cancelled'] as const;
type BuildResult = (typeof BUILD_RESULTS)[number];

function escapeLabel(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** The text exposition format: HELP and TYPE, then one line per sample. */
export function renderExposition(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {});
      const labelText = labels.length
        ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`
        : '';
      lines.push(`${family.name}${labelText} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface RunnerMetricsOptions {
  store: Pick<MetricsStore, 'latest' | 'countInstancesByState'>;
  sampler?: { totalsSoFar(): SamplerTotals };
  /** Samples older than this are left out (their container stopped or sampling stalled). Use ~3 × the sample interval. */
  freshnessMs: number;
  /** Families other areas keep (image retention), appended to the scrape. */
  extraFamilies?: () => MetricFamily[];
  now?: () => number;
}

/**
 * Collects the runner's operator metrics. The lead wires two hooks:
 * `countError` as the ErrorStore's `onRecord`, `observeInstance` next to the
 * instance service's `onChange` (it counts builds from state changes).
 */
export class RunnerMetrics {
  private readonly errors = new Map<
    string,
    { category: string; code: string; n: number }
  >();
  private readonly builds: Record<BuildResult, number> = {
    success: 0,
    failure: 0,
    cancelled: 0,
  };
  /** Instances this process saw enter `building`; bounded by the builds in progress. */
  private readonly building = new Set<string>();

  constructor(private readonly options: RunnerMetricsOptions) {}

  countError(event: Pick<ErrorEvent, 'category' | 'code'>): void {
    const key = `${event.category}\u0000${event.code}`;
    const entry = this.errors.get(key) ?? {
      category: event.category,
      code: event.code,
      n: 0,
    };
    entry.n++;
    this.errors.set(key, entry);
  }

  /**
   * Counts a build when an instance leaves `building`: to `starting` it
   * succeeded, to `failed` it failed, to `stopping`/`stopped` it was
   * cancelled. A cached image skips `building` and is no build.
   */
  observeInstance(instance: Pick<RunnerInstance, 'id' | 'state'>): void {
    if (instance.state === 'building') {
      this.building.add(instance.id);
      return;
    }
    if (!this.building.delete(instance.id)) return;
    if (instance.state === 'starting') this.builds.success++;
    else if (instance.state === 'failed') this.builds.failure++;
    else this.builds.cancelled++;
  }

  async collect(): Promise<MetricFamily[]> {
    const now = (this.options.now ?? Date.now)();
    const [counts, latest] = await Promise.all([
      this.options.store.countInstancesByState(),
      this.options.store.latest(new Date(now - this.options.freshnessMs)),
    ]);
    const totals = this.options.sampler?.totalsSoFar();
    const perInstance = (
      name: string,
      help: string,
      type: MetricType,
      value: (s: LatestSample) => number | undefined,
    ): MetricFamily => ({
      name,
      help,
      type,
      samples: latest.flatMap(s => {
        const v = value(s);
        return v === undefined
          ? []
          : [
              {
                labels: { entity_ref: s.entityRef, instance_id: s.instanceId },
                value: v,
              },
            ];
      }),
    });
    return [
      {
        name: 'runner_instances',
        help: 'Runner instances by state.',
        type: 'gauge',
        samples: INSTANCE_STATES.map(state => ({
          labels: { state },
          value: counts.get(state) ?? 0,
        })),
      },
      {
        name: 'runner_builds_total',
        help: 'Image builds finished by this backend process, by result.',
        type: 'counter',
        samples: BUILD_RESULTS.map(result => ({
          labels: { result },
          value: this.builds[result],
        })),
      },
      {
        name: 'runner_errors_total',
        help: 'Categorized failures recorded by this backend process.',
        type: 'counter',
        samples: [...this.errors.values()].map(e => ({
          labels: { category: e.category, code: e.code },
          value: e.n,
        })),
      },
      perInstance(
        'runner_instance_cpu_ratio',
        'CPU used by the container in cores (1 = one core busy), like docker stats CPU % / 100.',
        'gauge',
        s => s.cpuRatio,
      ),
      perInstance(
        'runner_instance_memory_working_set_bytes',
        'Memory usage minus inactive page cache, like docker stats.',
        'gauge',
        s => s.memoryWorkingSetBytes,
      ),
      perInstance(
        'runner_instance_memory_limit_bytes',
        'Memory limit of the container.',
        'gauge',
        s => s.memoryLimitBytes,
      ),
      perInstance(
        'runner_instance_network_receive_bytes_total',
        'Bytes received on all interfaces since the container started.',
        'counter',
        s => s.networkRxBytes,
      ),
      perInstance(
        'runner_instance_network_transmit_bytes_total',
        'Bytes sent on all interfaces since the container started.',
        'counter',
        s => s.networkTxBytes,
      ),
      perInstance(
        'runner_instance_block_read_bytes_total',
        'Bytes read from block devices since the container started.',
        'counter',
        s => s.blockReadBytes,
      ),
      perInstance(
        'runner_instance_block_write_bytes_total',
        'Bytes written to block devices since the container started.',
        'counter',
        s => s.blockWriteBytes,
      ),
      perInstance(
        'runner_instance_pids',
        'Processes and threads in the container.',
        'gauge',
        s => s.pids,
      ),
      {
        name: 'runner_sampling_duration_seconds',
        help: 'Duration of the last metrics sampling round in this process.',
        type: 'gauge',
        samples: totals?.last ? [{ value: totals.last.durationMs / 1000 }] : [],
      },
      {
        name: 'runner_sampling_rounds_total',
        help: 'Metrics sampling rounds run by this process.',
        type: 'counter',
        samples: totals ? [{ value: totals.rounds }] : [],
      },
      {
        name: 'runner_sampling_failures_total',
        help: 'Container stats reads that failed in this process.',
        type: 'counter',
        samples: totals ? [{ value: totals.failures }] : [],
      },
      ...(this.options.extraFamilies?.() ?? []),
    ];
  }

  async render(): Promise<string> {
    return renderExposition(await this.collect());
  }
}
