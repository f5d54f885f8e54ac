import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { resolveEffectiveConfig } from '../config/effectiveConfig';
import type { RunnerConfig } from '../config/RunnerConfig';
import type { ImageHousekeeping } from '../docker/types';
import type { MetricFamily } from '../monitoring/prometheus';
import {
  ImageRetention,
  type ImageRetentionOptions,
  type RetentionTotals,
} from './ImageRetention';

export interface RetentionWiringOptions {
  config: RunnerConfig;
  images: ImageHousekeeping;
  instances: ImageRetentionOptions['instances'];
  installationId: string;
  logger: LoggerService;
}

/**
 * A component's `imageRetention.keep`. Only app-config sets it (defaults and
 * runner.components), never an annotation, so the entity ref is enough: no
 * catalog read, and an entity gone from the catalog still gets its images
 * pruned.
 */
export function keepImagesFor(config: RunnerConfig, entityRef: string): number {
  try {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return resolveEffectiveConfig(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: { name, namespace },
      },
      config,
    ).docker.imageRetention.keep;
  } catch {
    return config.dockerDefaults.imageRetention.keep;
  }
}

export function retentionMetrics(totals: RetentionTotals): MetricFamily[] {
  const last = totals.last;
  return [
    {
      name: 'runner_image_prune_runs_total',
      help: 'Image retention runs of this backend process.',
      type: 'counter',
      samples: [{ value: totals.runs }],
    },
    {
      name: 'runner_images_removed_total',
      help: 'Images removed by image retention in this backend process.',
      type: 'counter',
      samples: [{ value: totals.removed }],
    },
    {
      name: 'runner_image_prune_freed_bytes_total',
      help: 'Disk freed by image retention in this process: image layers (removed and dangling images) and build cache.',
      type: 'counter',
      samples: [
        { labels: { what: 'image_layers' }, value: totals.freedImageBytes },
        { labels: { what: 'build_cache' }, value: totals.freedBuildCacheBytes },
      ],
    },
    {
      name: 'runner_images_kept',
      help: 'Images the last retention run kept: the newest of each component, and older ones an instance uses.',
      type: 'gauge',
      samples: last
        ? [
            { labels: { reason: 'newest' }, value: last.keptNewest },
            { labels: { reason: 'in_use' }, value: last.keptInUse },
          ]
        : [],
    },
  ];
}

/** Image retention on the scheduler (global: one backend replica prunes). */
export function createRetention(options: RetentionWiringOptions) {
  const { config } = options;
  const retention = new ImageRetention({
    images: options.images,
    instances: options.instances,
    installationId: options.installationId,
    keepFor: entityRef => keepImagesFor(config, entityRef),
    buildCache: config.pruneSchedule.buildCache,
    logger: options.logger,
  });
  return {
    retention,
    metrics: () => retentionMetrics(retention.totalsSoFar()),
    async start(scheduler: SchedulerService) {
      await scheduler.scheduleTask({
        id: 'runner-image-retention',
        scope: 'global',
        frequency: { milliseconds: config.pruneSchedule.intervalMs },
        // Not at start-up: a restart loop should not prune in a loop.
        initialDelay: { minutes: 5 },
        timeout: { minutes: 30 },
        fn: async () => {
          await retention.prune();
        },
      });
    },
  };
}
