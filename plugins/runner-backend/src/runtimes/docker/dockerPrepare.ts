import type {
  RunnerRuntime,
  RuntimeArtifact,
} from '@internal/plugin-runner-node';
import { RUNNER_LABELS, type DockerRuntime } from '../../docker/types';

/*
 * prepare() on the Docker engine beside the backend: the image with this
 * cache key if the engine has it, else a build tagged by content. It is the
 * builder of the other runtimes (Kubernetes ships what it returns), so an
 * image is built once whichever runtime runs it.
 */
export function dockerPrepare(
  docker: Pick<DockerRuntime, 'findImage' | 'build'>,
): Pick<RunnerRuntime, 'prepare'> {
  return {
    async prepare(source, options): Promise<RuntimeArtifact> {
      const found = await docker.findImage(source.cacheKey);
      if (found) {
        options.onLog?.(
          `Image ${found} already built from this source (cache key ${source.cacheKey}); build skipped`,
        );
        return artifact(found, source.cacheKey, true);
      }
      const name = source.entityName
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '-');
      const { imageId } = await docker.build({
        context: source.context(),
        dockerfile: options.build.dockerfile,
        buildArgs: options.build.buildArgs,
        target: options.build.target,
        tag: `backstage-runner/${name}:${source.cacheKey.slice(0, 12)}`,
        // No `managed` label on images: containers inherit image labels.
        labels: {
          [RUNNER_LABELS.entityRef]: source.entityRef,
          [RUNNER_LABELS.cacheKey]: source.cacheKey,
        },
        timeoutMs: options.build.timeoutMs,
        onLog: line => options.onLog?.(line),
        signal: options.signal,
      });
      return artifact(imageId, source.cacheKey, false);
    },
  };
}

function artifact(
  imageId: string,
  cacheKey: string,
  buildSkipped: boolean,
): RuntimeArtifact {
  return { runtime: 'docker', image: imageId, imageId, cacheKey, buildSkipped };
}
