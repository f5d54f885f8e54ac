import type {
  PrepareOptions,
  RunnerRuntime,
  RuntimeArtifact,
  RuntimeSource,
} from '@internal/plugin-runner-node';
import type { ImagePusher } from './DockerEnginePusher';
import type { RegistryClient } from './RegistryClient';

/*
 * prepare() of the Kubernetes runtime: the image is built where it is built
 * today (the builder: the Docker runtime's prepare, cached by content), then
 * tagged by content in the cluster's registry and pushed unless the registry
 * holds that image already. Pods pin it by digest, so what runs is exactly
 * what was built, whatever happens to the tag later.
 */

export interface ShipDeps {
  builder: Pick<RunnerRuntime, 'prepare'>;
  pusher: ImagePusher;
  registry: RegistryClient;
  runtimeId: string;
}

/** `<prefix>/<entity name>`, as registries accept repository names. */
export function repositoryFor(prefix: string, entityName: string): string {
  const name =
    entityName
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'component';
  return `${prefix}/${name}`;
}

export async function shipImage(
  deps: ShipDeps,
  source: RuntimeSource,
  options: PrepareOptions,
): Promise<RuntimeArtifact> {
  const { registry } = deps;
  const local = await deps.builder.prepare(source, options);
  const imageId = local.imageId ?? local.image;
  const repository = repositoryFor(
    registry.config.repositoryPrefix ?? 'backstage-runner',
    source.entityName,
  );
  // Named by the source's content: a new source is a new tag, never `latest`.
  const tag = source.cacheKey.slice(0, 12);
  const pullHost = registry.config.pullHost ?? registry.config.host;

  const existing = await registry.manifest(repository, tag);
  let digest: string;
  let pushSkipped: boolean;
  if (existing?.configDigest === imageId) {
    digest = existing.digest;
    pushSkipped = true;
    options.onLog?.(
      `${registry.config.host}/${repository}:${tag} holds image ${imageId} already (${digest}); push skipped`,
    );
  } else {
    const pushed = await deps.pusher.push({
      imageId,
      repository: `${registry.config.host}/${repository}`,
      tag,
      credentials: registry.config.credentials,
      timeoutMs: options.build.timeoutMs,
      onLog: options.onLog,
      signal: options.signal,
    });
    digest = pushed.digest;
    pushSkipped = false;
    options.onLog?.(
      `pushed ${registry.config.host}/${repository}:${tag} (${digest}): ${pushed.layersPushed} layers sent, ${pushed.layersSkipped} already in the registry`,
    );
  }
  return {
    runtime: deps.runtimeId,
    image: `${pullHost}/${repository}@${digest}`,
    cacheKey: source.cacheKey,
    imageId,
    buildSkipped: local.buildSkipped,
    pushSkipped,
    user: await registry.imageUser(repository, imageId),
  };
}
