import type Docker from 'dockerode';
import {
  RUNNER_LABELS,
  type ImageHousekeeping,
  type RemoveImageResult,
  type RunnerImage,
} from './types';
import type { ImageStore } from './ImageStore';
import { engineError } from './dockerErrors';

/*
 * The engine side of image retention: list the runner's images with exact
 * creation times, remove one with all its tags, prune what no image or
 * build uses. Which images go is decided in retention/, not here.
 */

/** Inspects in flight at once while listing. */
const INSPECT_CONCURRENCY = 8;

export class EngineImageHousekeeping implements ImageHousekeeping {
  constructor(
    private readonly docker: Docker,
    private readonly images: ImageStore,
  ) {}

  async listRunnerImages(installationId: string): Promise<RunnerImage[]> {
    let summaries: Docker.ImageInfo[];
    try {
      summaries = await this.docker.listImages({
        filters: {
          label: [
            RUNNER_LABELS.entityRef,
            `${RUNNER_LABELS.installation}=${installationId}`,
          ],
        },
      });
    } catch (error) {
      throw engineError('listing images', error);
    }
    // The list's `Created` is in whole seconds: builds a second apart would
    // tie. The inspect's is in nanoseconds.
    const images: RunnerImage[] = [];
    for (let i = 0; i < summaries.length; i += INSPECT_CONCURRENCY) {
      const batch = summaries.slice(i, i + INSPECT_CONCURRENCY);
      const inspected = await Promise.all(
        batch.map(
          s =>
            this.docker
              .getImage(s.Id)
              .inspect()
              .catch(() => undefined), // removed meanwhile
        ),
      );
      batch.forEach((summary, index) => {
        const info = inspected[index];
        if (!info) return;
        const created = Date.parse(info.Created);
        images.push({
          id: summary.Id,
          entityRef: summary.Labels?.[RUNNER_LABELS.entityRef] ?? '',
          cacheKey: summary.Labels?.[RUNNER_LABELS.cacheKey],
          tags: (summary.RepoTags ?? []).filter(t => t !== '<none>:<none>'),
          createdMs: Number.isFinite(created)
            ? created
            : summary.Created * 1000,
          sizeBytes: summary.Size,
        });
      });
    }
    return images.sort((a, b) => b.createdMs - a.createdMs);
  }

  async removeRunnerImage(image: RunnerImage): Promise<RemoveImageResult> {
    // By tag, one at a time: removing an image by id that has several tags
    // is refused, and forcing would also untag an image a container uses.
    for (const tag of image.tags.slice(1)) {
      const result = await this.images.removeImage(tag);
      if (!result.removed && result.reason === 'in-use') return result;
    }
    return this.images.removeImage(image.tags[0] ?? image.id);
  }

  async pruneBuildCache(installationId: string) {
    try {
      const cache = await this.docker.pruneBuilder();
      const dangling = await this.docker.pruneImages({
        filters: {
          dangling: ['true'],
          label: [`${RUNNER_LABELS.installation}=${installationId}`],
        },
      });
      return {
        buildCacheBytes: cache.SpaceReclaimed ?? 0,
        danglingImageBytes: dangling.SpaceReclaimed ?? 0,
      };
    } catch (error) {
      throw engineError('pruning the build cache', error);
    }
  }

  async imageLayersBytes(): Promise<number> {
    try {
      const usage = await this.docker.df();
      return Number(usage.LayersSize ?? 0);
    } catch (error) {
      throw engineError('reading the disk usage of images', error);
    }
  }
}
