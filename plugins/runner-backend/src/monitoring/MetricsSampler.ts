import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  MetricSample,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { DockerRuntime } from '../docker/types';
import type { InstanceStore } from '../instances/InstanceStore';
import { mapSettledBounded } from './bounded';
import type { MetricsStore } from './MetricsStore';
import {
  computeStats,
  cpuCounters,
  hasStats,
  type CpuCounters,
} from './statsMath';

export interface MetricsSamplerOptions {
  instances: Pick<InstanceStore, 'list'>;
  docker: Pick<DockerRuntime, 'statsOnce'>;
  store: Pick<MetricsStore, 'insert'>;
  logger: LoggerService;
  /** Stats reads in flight at once (`runner.monitoring.sampleConcurrency`). Default 8. */
  concurrency?: number;
  now?: () => number;
  /** Called for every stored sample, e.g. to feed alert rules. Must not throw. */
  onSample?: (instance: RunnerInstance, sample: MetricSample) => void;
}

/** What one sampling round did. */
export interface SamplingRound {
  at: string;
  durationMs: number;
  /** Samples stored. */
  sampled: number;
  /** Containers whose stats could not be read. */
  failed: number;
  /** Containers that were gone or stopped by the time their stats were read. */
  skipped: number;
}

/** Totals since the process started, for the operator metrics. */
export interface SamplerTotals {
  rounds: number;
  samples: number;
  failures: number;
  last?: SamplingRound;
}

/**
 * Reads one-shot stats of every running instance, computes what `docker
 * stats` shows, and stores the samples. The lead schedules `sampleOnce()`
 * every `runner.monitoring.sampleInterval`.
 *
 * CPU needs two samples (one-shot leaves `precpu_stats` empty): the previous
 * counters of each container stay in memory, so a container's first sample
 * here — after a start, or on the first round of this backend replica — has
 * no CPU value. When rounds move between replicas, the delta spans a longer
 * time and is still the container's average use over it.
 */
export class MetricsSampler {
  private readonly previous = new Map<string, CpuCounters>();
  private inFlight?: Promise<SamplingRound>;
  private readonly totals: SamplerTotals = {
    rounds: 0,
    samples: 0,
    failures: 0,
  };

  constructor(private readonly options: MetricsSamplerOptions) {}

  /** One round over all running instances; concurrent calls share the round in flight. */
  sampleOnce(): Promise<SamplingRound> {
    if (!this.inFlight) {
      this.inFlight = this.round().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  totalsSoFar(): SamplerTotals {
    return { ...this.totals };
  }

  private async round(): Promise<SamplingRound> {
    const now = this.options.now ?? Date.now;
    const started = now();
    const running = (
      await this.options.instances.list({ states: ['running'] })
    ).filter(i => i.containerId);

    const results = await mapSettledBounded(
      running,
      this.options.concurrency ?? 8,
      instance => this.sample(instance, now),
    );

    const samples: MetricSample[] = [];
    let failed = 0;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        if (result.value) samples.push(result.value);
      } else {
        failed++;
        this.options.logger.debug(
          `runner metrics: no stats for instance ${running[i].id}: ${result.reason}`,
        );
      }
    });
    await this.options.store.insert(samples);
    if (this.options.onSample) {
      const byId = new Map(running.map(i => [i.id, i]));
      for (const sample of samples) {
        const instance = byId.get(sample.instanceId);
        if (instance) this.options.onSample(instance, sample);
      }
    }

    // Forget counters of containers that no longer run, so the map stays as
    // small as the set of running containers.
    const live = new Set(running.map(i => i.containerId!));
    for (const id of this.previous.keys()) {
      if (!live.has(id)) this.previous.delete(id);
    }

    const round: SamplingRound = {
      at: new Date(started).toISOString(),
      durationMs: now() - started,
      sampled: samples.length,
      failed,
      skipped: running.length - samples.length - failed,
    };
    this.totals.rounds++;
    this.totals.samples += samples.length;
    this.totals.failures += failed;
    this.totals.last = round;
    return round;
  }

  private async sample(
    instance: RunnerInstance,
    now: () => number,
  ): Promise<MetricSample | undefined> {
    const containerId = instance.containerId!;
    const raw = await this.options.docker.statsOnce(containerId);
    if (!raw || !hasStats(raw)) return undefined;
    const at = now();
    const counters = cpuCounters(raw, at);
    const stats = computeStats(raw, this.previous.get(containerId), counters);
    this.previous.set(containerId, counters);
    return {
      instanceId: instance.id,
      at: new Date(at).toISOString(),
      ...stats,
    };
  }
}
