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
import { InputError, NotFoundError } from '@backstage/errors';
import { SOURCE_LOCATION_ANNOTATION } from '@internal/plugin-runner-common';
import { computeCacheKey } from './cacheKey';
import { resolveLocalSource } from './localSource';
import { packContext } from './pack';
import { assertDockerfileFile, resolveBuildContext } from './paths';
import type {
  BuildLayout,
  CacheKeyInput,
  ComponentSources,
  SourceTree,
} from './types';

export interface RunnerComponentSourcesOptions {
  urlReader: UrlReaderService;
  /** Real paths (see readSourcesConfig); empty refuses every `dir:` source. */
  allowedLocalRoots: string[];
  /** Where `url:` sources are unpacked; default the OS temp directory. */
  workingDirectory?: string;
}

/** The entity's `backstage.io/source-location`, parsed; InputError saying how to write it. */
function sourceLocationOf(entity: Entity): {
  type: 'url' | 'dir';
  target: string;
} {
  const ref = stringifyEntityRef(entity);
  const location = entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION];
  if (!location) {
    throw new InputError(
      `${ref} has no ${SOURCE_LOCATION_ANNOTATION} annotation; set it to url:<repository tree URL> or dir:<path>`,
    );
  }
  let parsed: { type: string; target: string };
  try {
    parsed = parseLocationRef(location);
  } catch {
    throw new InputError(
      `Invalid ${SOURCE_LOCATION_ANNOTATION} '${location}' on ${ref}; use url:<repository tree URL> or dir:<path>`,
    );
  }
  if (parsed.type !== 'url' && parsed.type !== 'dir') {
    throw new InputError(
      `Unsupported ${SOURCE_LOCATION_ANNOTATION} '${location}' on ${ref}: type '${parsed.type}'; use url:<repository tree URL> or dir:<path>`,
    );
  }
  return { type: parsed.type, target: parsed.target };
}

/** A NotFoundError becomes an InputError saying how to fix it; anything else passes. */
function badRequestIfMissing(fix: string) {
  return (error: unknown): never => {
    if (error instanceof NotFoundError) {
      throw new InputError(`${error.message}; ${fix}`);
    }
    throw error;
  };
}

function isHttpUrl(target: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(target).protocol);
  } catch {
    return false;
  }
}

/**
 * Gets a component's source onto local disk (`url:` through Backstage's
 * UrlReader, `dir:` from an allow-listed root), and hashes and packs its
 * build context.
 */
export class RunnerComponentSources implements ComponentSources {
  constructor(private readonly options: RunnerComponentSourcesOptions) {}

  async fetch(entity: Entity, buildContext: string): Promise<SourceTree> {
    const { type, target } = sourceLocationOf(entity);
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
    return this.fetchUrl(target, buildContext);
  }

  async check(entity: Entity, build: BuildLayout): Promise<void> {
    const { type, target } = sourceLocationOf(entity);
    if (type === 'url') {
      // Reading a url: tree means downloading it; its syntax is what is cheap to know.
      if (!isHttpUrl(target)) {
        throw new InputError(
          `Invalid ${SOURCE_LOCATION_ANNOTATION} 'url:${target}' on ${stringifyEntityRef(
            entity,
          )}: not an http(s) URL; use url:https://<host>/<repository tree>`,
        );
      }
      return;
    }
    // Missing directories are the entity's (or app-config's) to fix: a bad
    // request here, where fetch() reports them as a missing source.
    const root = await resolveLocalSource(
      entity,
      target,
      this.options.allowedLocalRoots,
    ).catch(
      badRequestIfMissing(
        `fix ${SOURCE_LOCATION_ANNOTATION} so it names an existing directory`,
      ),
    );
    const contextDir = await resolveBuildContext(root, build.context).catch(
      badRequestIfMissing(
        "set it to a directory of the source, such as '.' (the default)",
      ),
    );
    await assertDockerfileFile(contextDir, build.dockerfile);
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
