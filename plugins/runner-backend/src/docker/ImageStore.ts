import type Docker from 'dockerode';
import { RUNNER_LABELS, type RemoveImageResult } from './types';
import { engineError, engineMessage, statusCodeOf } from './dockerErrors';

/*
 * Looking up and removing the images the runner built. The cache key label is
 * the only link between a source tree and its image: tags can be moved or
 * removed by hand, labels travel with the image.
 */
export class ImageStore {
  constructor(private readonly docker: Docker) {}

  /** Id of the newest image labelled with this cache key, or undefined. */
  async findImage(cacheKey: string): Promise<string | undefined> {
    let images: Docker.ImageInfo[];
    try {
      images = await this.docker.listImages({
        filters: { label: [`${RUNNER_LABELS.cacheKey}=${cacheKey}`] },
      });
    } catch (error) {
      throw engineError('listing images', error);
    }
    // Equal keys mean equal content, so any match is good; the newest one
    // is the one whose tag most likely still points at it.
    const newest = images.sort((a, b) => b.Created - a.Created)[0];
    return newest?.Id;
  }

  /**
   * Removes an image by tag or id. A missing image is already what the caller
   * wants; an image still used by a container (HTTP 409) is left in place and
   * reported, because cleanup must never fail the operation it follows.
   */
  async removeImage(ref: string): Promise<RemoveImageResult> {
    try {
      await this.docker.getImage(ref).remove();
      return { removed: true };
    } catch (error) {
      switch (statusCodeOf(error)) {
        case 404:
          return {
            removed: false,
            reason: 'not-found',
            message: engineMessage(error),
          };
        case 409:
          return {
            removed: false,
            reason: 'in-use',
            message: engineMessage(error),
          };
        default:
          throw engineError(`removing image ${ref}`, error);
      }
    }
  }
}
