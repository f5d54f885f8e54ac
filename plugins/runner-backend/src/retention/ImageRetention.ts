import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ACTIVE_INSTANCE_STATES,
  type RunnerInstance,
} from '@internal/plugin-runner-common';
import { formatBytes } from '../config/sizes';
import type { ImageHousekeeping, RunnerImage } from '../docker/types';

/*
 * Image retention: a component built a hundred times keeps its newest `keep`
 * images (a later start of an unchanged source is a cache hit), plus any an
 * active instance uses; the rest are removed, their untagged parent layers
 * (the legacy builder's step cache) with them. Then the engine's dangling
 * build cache goes. Runs on the scheduler; only this installation's images.
 */

export interface ImageRetentionOptions {
  images: ImageHousekeeping;
  instances: {
    list(filter: {
      states: RunnerInstance['state'][];
    }): Promise<RunnerInstance[]>;
  };
  installationId: string;
  /** Images kept per component (`imageRetention.keep` of its effective config). */
  keepFor(entityRef: string): number;
  /** Prune the dangling build cache too (`runner.docker.imageRetention.buildCache`). */
  buildCache: boolean;
  logger: LoggerService;
}

export interface PruneReport {
  components: number;
  removed: number;
  keptNewest: number;
  keptInUse: number;
  /** Components skipped because a launch was under way (its image may be the one it is about to run). */
  skippedComponents: number;
  /** Decrease of the engine's image layers (removed and dangling images). */
  freedImageBytes: number;
  buildCacheBytes: number;
}

/** Totals since this process started, for the Prometheus view. */
export interface RetentionTotals {
  runs: number;
  removed: number;
  freedImageBytes: number;
  freedBuildCacheBytes: number;
  last?: PruneReport;
}

const LAUNCHING: RunnerInstance['state'][] = [
  'pending',
  'building',
  'starting',
];

export class ImageRetention {
  private readonly totals: RetentionTotals = {
    runs: 0,
    removed: 0,
    freedImageBytes: 0,
    freedBuildCacheBytes: 0,
  };

  constructor(private readonly options: ImageRetentionOptions) {}

  async prune(): Promise<PruneReport> {
    const { images, logger } = this.options;
    const active = await this.options.instances.list({
      states: [...ACTIVE_INSTANCE_STATES],
    });
    const inUse = new Set(active.flatMap(i => (i.imageId ? [i.imageId] : [])));
    const launching = new Set(
      active.filter(i => LAUNCHING.includes(i.state)).map(i => i.entityRef),
    );

    const before = await images.imageLayersBytes();
    const byComponent = new Map<string, RunnerImage[]>();
    for (const image of await images.listRunnerImages(
      this.options.installationId,
    )) {
      const list = byComponent.get(image.entityRef) ?? [];
      list.push(image); // newest first, as listed
      byComponent.set(image.entityRef, list);
    }

    const report: PruneReport = {
      components: byComponent.size,
      removed: 0,
      keptNewest: 0,
      keptInUse: 0,
      skippedComponents: 0,
      freedImageBytes: 0,
      buildCacheBytes: 0,
    };
    for (const [entityRef, list] of byComponent) {
      if (launching.has(entityRef)) {
        report.skippedComponents++;
        continue;
      }
      const keep = this.options.keepFor(entityRef);
      report.keptNewest += Math.min(keep, list.length);
      for (const image of list.slice(keep)) {
        if (inUse.has(image.id)) {
          report.keptInUse++;
          continue;
        }
        const result = await images.removeRunnerImage(image).catch(error => {
          logger.warn(`image retention: ${image.id} of ${entityRef}: ${error}`);
          return undefined;
        });
        if (result?.removed) report.removed++;
        else if (result?.reason === 'in-use') report.keptInUse++; // a container outside the database
      }
    }

    if (this.options.buildCache) {
      const pruned = await images.pruneBuildCache(this.options.installationId);
      report.buildCacheBytes = pruned.buildCacheBytes;
    }
    report.freedImageBytes = Math.max(
      0,
      before - (await images.imageLayersBytes()),
    );

    this.totals.runs++;
    this.totals.removed += report.removed;
    this.totals.freedImageBytes += report.freedImageBytes;
    this.totals.freedBuildCacheBytes += report.buildCacheBytes;
    this.totals.last = report;
    const freed = report.freedImageBytes + report.buildCacheBytes;
    const line = `Image retention: removed ${report.removed} images of ${
      report.components
    } components (kept ${report.keptNewest} newest, ${
      report.keptInUse
    } in use); freed ${formatBytes(
      report.freedImageBytes,
    )} of image layers and ${formatBytes(
      report.buildCacheBytes,
    )} of build cache`;
    if (report.removed > 0 || freed > 0) logger.info(line);
    else logger.debug(line);
    return report;
  }

  totalsSoFar(): RetentionTotals {
    return { ...this.totals };
  }
}
