import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import tar from 'tar-fs';
import type {
  PrepareOptions,
  RunnerRuntime,
  RuntimeArtifact,
  RuntimeSource,
} from '@internal/plugin-runner-node';

/*
 * The build half of prepare() for the tests: a real build on the test
 * Docker engine (DOCKER_HOST) from the source's tar stream, cached by its
 * content hash the way the Docker runtime caches, so the Kubernetes runtime
 * gets the image it gets in production: a local image id.
 */

export const docker = new Docker();

const EXAMPLES = path.resolve(__dirname, '../../../../../../examples/sources');

/** A component source of examples/sources, hashed by every file's path and content. */
export function exampleSource(
  example: string,
  entityName = example,
): RuntimeSource {
  const dir = path.join(EXAMPLES, example);
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const file = path.join(d, name);
      const stat = fs.statSync(file);
      hash.update(`${path.relative(dir, file)}\0${stat.mode}\0`);
      if (stat.isDirectory()) walk(file);
      else hash.update(fs.readFileSync(file));
    }
  };
  walk(dir);
  return {
    entityRef: `component:default/${entityName}`,
    entityName,
    cacheKey: hash.digest('hex'),
    context: () => tar.pack(dir) as unknown as Readable,
  };
}

export const testBuilder: Pick<RunnerRuntime, 'prepare'> = {
  async prepare(
    source: RuntimeSource,
    options: PrepareOptions,
  ): Promise<RuntimeArtifact> {
    const tag = `backstage-runner-test/${
      source.entityName
    }:${source.cacheKey.slice(0, 12)}`;
    const existing = await docker
      .getImage(tag)
      .inspect()
      .catch(() => undefined);
    if (existing) {
      return {
        runtime: 'docker',
        image: existing.Id,
        imageId: existing.Id,
        cacheKey: source.cacheKey,
        buildSkipped: true,
      };
    }
    const stream = await docker.buildImage(source.context() as any, {
      t: tag,
      dockerfile: options.build.dockerfile,
    });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        error => (error ? reject(error) : resolve()),
        (item: any) => {
          if (item.error) reject(new Error(item.error));
        },
      ),
    );
    const built = await docker.getImage(tag).inspect();
    return {
      runtime: 'docker',
      image: built.Id,
      imageId: built.Id,
      cacheKey: source.cacheKey,
      buildSkipped: false,
    };
  },
};
