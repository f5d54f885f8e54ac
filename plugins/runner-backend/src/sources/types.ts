import type { Readable } from 'node:stream';

/*
 * The contract between instances/ and sources/: given an entity, produce a
 * build context that can be hashed and streamed without holding it in memory.
 */

/** A component's source tree, materialized on local disk. */
export interface SourceTree {
  /** Absolute directory of the build context (source root + configured context). */
  contextDir: string;
  /** Removes any temporary copy; a no-op for allow-listed local directories. */
  cleanup(): Promise<void>;
}

export interface CacheKeyInput {
  contextDir: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
}

/** Where the build happens inside the source, as the effective config says. */
export interface BuildLayout {
  /** Build context relative to the source root. */
  context: string;
  /** Dockerfile relative to the build context. */
  dockerfile: string;
}

export interface ComponentSources {
  /**
   * Checks, without fetching a `url:` tree, what can be known cheaply before
   * an instance exists: the source annotation's syntax and, for `dir:`, that
   * the directory lies inside an allowed root and holds the build context
   * and the Dockerfile. Throws an InputError that names what to fix.
   */
  check(
    entity: import('@backstage/catalog-model').Entity,
    build: BuildLayout,
  ): Promise<void>;

  /**
   * Fetches the entity's source (`backstage.io/source-location`: `url:` via the
   * UrlReader, `dir:` from an allow-listed local root) and resolves the build
   * context inside it. Fails with an InputError naming the annotation when the
   * location is missing, malformed, or escapes its root.
   */
  fetch(
    entity: import('@backstage/catalog-model').Entity,
    buildContext: string,
  ): Promise<SourceTree>;

  /**
   * The content-addressed cache key: sha256 over every file path, mode and
   * content in the context (honouring .dockerignore) plus Dockerfile, build
   * args and target. Streams files; throws when the context is larger than
   * `maxContextBytes`, before anything is sent to Docker.
   */
  cacheKey(input: CacheKeyInput, maxContextBytes: number): Promise<string>;

  /**
   * A tar stream of the context (honouring .dockerignore), produced lazily.
   * `dockerfile` (default `Dockerfile`, relative to the context) is always
   * included even if .dockerignore excludes it, as the Docker CLI does; pass
   * the same value as to cacheKey so the tar holds exactly what was hashed.
   */
  pack(contextDir: string, dockerfile?: string): Readable;
}
