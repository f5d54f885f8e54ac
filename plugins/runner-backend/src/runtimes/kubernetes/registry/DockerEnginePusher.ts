import type Docker from 'dockerode';
import { runtimeError } from '@internal/plugin-runner-node';

/*
 * Sends a local image to a registry through the Docker engine that built it
 * (`docker push`): the engine asks the registry for each layer first and
 * sends only the missing ones. The registry tag is removed locally again, so
 * the engine's image keeps only the runner's own tag (image clean-up removes
 * by id and keeps images with several tags).
 *
 * The one importer of dockerode outside docker/: it moves beside the Docker
 * runtime when that lives in runtimes/docker/.
 */

export interface PushRequest {
  /** Local image id, `sha256:…`. */
  imageId: string;
  /** `host[:port]/repository`. */
  repository: string;
  tag: string;
  credentials?: { username: string; password: string };
  timeoutMs: number;
  onLog?(line: string): void;
  signal?: AbortSignal;
}

export interface PushResult {
  /** The manifest digest the registry stored. */
  digest: string;
  layersPushed: number;
  layersSkipped: number;
}

export interface ImagePusher {
  push(request: PushRequest): Promise<PushResult>;
}

function categorize(message: string, registry: string) {
  const values = { registry };
  if (
    /connection refused|no such host|i\/o timeout|dial tcp|EOF|503|502|500/i.test(
      message,
    )
  ) {
    return runtimeError('REGISTRY_UNREACHABLE', message, { values });
  }
  if (
    /unauthorized|authentication required|denied: requested access|no basic auth/i.test(
      message,
    )
  ) {
    return runtimeError('REGISTRY_AUTH_FAILED', message, {
      userMessage: `The registry ${registry} refused the push.`,
      remediation: `Set \`runner.kubernetes.clusters[].registry.credentials\` to an account that may push to ${registry}.`,
    });
  }
  return runtimeError('REGISTRY_PUSH_REJECTED', message, { values });
}

export class DockerEnginePusher implements ImagePusher {
  constructor(private readonly docker: Docker) {}

  async push(request: PushRequest): Promise<PushResult> {
    const registry = request.repository.split('/')[0];
    const ref = `${request.repository}:${request.tag}`;
    const signal = AbortSignal.any(
      [AbortSignal.timeout(request.timeoutMs), request.signal].filter(
        (s): s is AbortSignal => s !== undefined,
      ),
    );
    await this.docker
      .getImage(request.imageId)
      .tag({ repo: request.repository, tag: request.tag });
    try {
      const stream: NodeJS.ReadableStream = await this.docker
        .getImage(ref)
        .push({
          authconfig: request.credentials
            ? { ...request.credentials, serveraddress: registry }
            : {},
          abortSignal: signal,
        } as Docker.ImagePushOptions);
      const pushed = new Set<string>();
      const skipped = new Set<string>();
      let digest: string | undefined;
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (error: Error | null) => (error ? reject(error) : resolve()),
          (item: any) => {
            if (item.error || item.errorDetail) {
              reject(
                categorize(item.errorDetail?.message ?? item.error, registry),
              );
              return;
            }
            if (item.status === 'Pushed') pushed.add(item.id);
            if (item.status === 'Layer already exists') skipped.add(item.id);
            if (item.aux?.Digest) digest = item.aux.Digest;
            if (item.status && !item.progressDetail?.current) {
              request.onLog?.(`${item.id ? `${item.id}: ` : ''}${item.status}`);
            }
          },
        );
      });
      if (!digest) {
        throw runtimeError(
          'REGISTRY_PUSH_REJECTED',
          `the push of ${ref} ended without a digest`,
          {
            values: { registry },
          },
        );
      }
      return { digest, layersPushed: pushed.size, layersSkipped: skipped.size };
    } catch (error) {
      if ((error as { name?: string }).name === 'RuntimeError') throw error;
      if (signal.aborted) {
        throw runtimeError(
          'OPERATION_TIMEOUT',
          request.signal?.aborted
            ? `the push of ${ref} was cancelled`
            : `the push of ${ref} took longer than ${request.timeoutMs} ms`,
        );
      }
      throw categorize(String((error as Error)?.message ?? error), registry);
    } finally {
      await this.#untag(ref, request.imageId);
    }
  }

  /** Removes the registry tag, unless it is the image's only name (removing it would delete the image). */
  async #untag(ref: string, imageId: string): Promise<void> {
    try {
      const info = await this.docker.getImage(imageId).inspect();
      if ((info.RepoTags ?? []).filter(t => t !== ref).length > 0) {
        await this.docker.getImage(ref).remove({ noprune: true });
      }
    } catch {
      // A tag left behind costs nothing but a line in `docker images`.
    }
  }
}
