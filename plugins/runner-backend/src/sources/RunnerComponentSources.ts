import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { SOURCE_LOCATION_ANNOTATION } from '@internal/plugin-runner-common';
import { computeCacheKey } from './cacheKey';
import { resolveLocalSource } from './localSource';
import { packContext } from './pack';
import { resolveBuildContext } from './paths';
import type { CacheKeyInput, ComponentSources, SourceTree } from './types';

export interface RunnerComponentSourcesOptions {
  urlReader: UrlReaderService;
  /** Real paths (see readSourcesConfig); empty refuses every `dir:` source. */
  allowedLocalRoots: string[];
  /** Where `url:` sources are unpacked; default the OS temp directory. */
  workingDirectory?: string;
}

/**
 * Gets a component's source onto local disk (`url:` through Backstage's
 * UrlReader, `dir:` from an allow-listed root), and hashes and packs its
 * build context.
 */
export class RunnerComponentSources implements ComponentSources {
  constructor(private readonly options: RunnerComponentSourcesOptions) {}

  async fetch(entity: Entity, buildContext: string): Promise<SourceTree> {
    const ref = stringifyEntityRef(entity);
    const location = entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION];
    if (!location) {
      throw new InputError(
        `${ref} has no ${SOURCE_LOCATION_ANNOTATION} annotation; set it to url:<repository tree URL> or dir:<path>`,
      );
    }
    let type: string;
    let target: string;
    try {
      ({ type, target } = parseLocationRef(location));
    } catch {
      throw new InputError(
        `Invalid ${SOURCE_LOCATION_ANNOTATION} '${location}' on ${ref}; use url:<repository tree URL> or dir:<path>`,
      );
    }
    if (type === 'dir') {
      const root = await resolveLocalSource(
        entity,
        target,
        this.options.allowedLocalRoots,
      );
      return {
        contextDir: await resolveBuildContext(root, buildContext),
        // The directory belongs to the developer: never delete it.
        cleanup: async () => {},
      };
    }
    if (type === 'url') {
      return this.fetchUrl(target, buildContext);
    }
    throw new InputError(
      `Unsupported ${SOURCE_LOCATION_ANNOTATION} '${location}' on ${ref}: type '${type}'; use url:<repository tree URL> or dir:<path>`,
    );
  }

  private async fetchUrl(
    url: string,
    buildContext: string,
  ): Promise<SourceTree> {
    const base = this.options.workingDirectory ?? os.tmpdir();
    const tempDir = await fs.mkdtemp(
      path.join(base, 'backstage-runner-source-'),
    );
    const cleanup = () => fs.rm(tempDir, { recursive: true, force: true });
    try {
      // readTree fails with NotFoundError for a missing tree and with the
      // integration's error for an unconfigured host; both pass through.
      const tree = await this.options.urlReader.readTree(url);
      await tree.dir({ targetDir: tempDir });
      const root = await fs.realpath(tempDir);
      return {
        contextDir: await resolveBuildContext(root, buildContext),
        cleanup,
      };
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  cacheKey(input: CacheKeyInput, maxContextBytes: number): Promise<string> {
    return computeCacheKey(input, maxContextBytes);
  }

  pack(contextDir: string, dockerfile?: string): Readable {
    return packContext(contextDir, dockerfile);
  }
}
