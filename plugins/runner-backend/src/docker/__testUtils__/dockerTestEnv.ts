import Docker from 'dockerode';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-fs';
import { DockerEngine, dockerOptionsFor } from '../DockerEngine';
import { RUNNER_LABELS, type RunRequest } from '../types';

/*
 * Shared by the tests that talk to the real engine (DOCKER_HOST, else the
 * default socket). The engine may be shared with other test runs, so every
 * object a test creates carries a per-run label and is removed by it.
 */

export const TEST_RUN_LABEL = 'runner.backstage.io/test-run';

/** Unique per test file run; safe in names, tags and labels. */
export function newRunId(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

export function testEngine(): DockerEngine {
  return new DockerEngine({ connectionTimeoutMs: 10_000 });
}

/** A plain dockerode client, to check what the engine really did. */
export function rawDocker(): Docker {
  const engine = testEngine();
  return new Docker(dockerOptionsFor(engine.endpoint, 30_000));
}

export const EXAMPLES_DIR = path.resolve(
  __dirname,
  '../../../../../examples/sources',
);

export function pack(dir: string): Readable {
  return tar.pack(dir) as unknown as Readable;
}

/** A temporary build context with the given files; removed by the returned cleanup. */
export async function tempContext(
  files: Record<string, string>,
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-docker-test-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content, { mode: 0o755 });
  }
  return {
    dir,
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** Removes every container, then every image, labelled with this run. */
export async function removeRunObjects(runId: string): Promise<void> {
  const docker = rawDocker();
  const filters = { label: [`${TEST_RUN_LABEL}=${runId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map(c =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const images = await docker.listImages({ filters });
  for (const image of images) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

/** A run request with small limits, labelled for this run. */
export function runRequest(
  runId: string,
  image: string,
  overrides: Partial<RunRequest> = {},
): RunRequest {
  return {
    image,
    name: `${runId}-${Math.random().toString(36).slice(2, 8)}`,
    labels: {
      [TEST_RUN_LABEL]: runId,
      [RUNNER_LABELS.entityRef]: 'component:default/test',
      [RUNNER_LABELS.instanceId]: runId,
    },
    env: {},
    ports: [],
    limits: {
      memoryBytes: 64 * 1024 * 1024,
      nanoCpus: 500_000_000,
      pidsLimit: 64,
    },
    readOnlyRootfs: true,
    securityOptions: [],
    logRotation: {
      driver: 'json-file',
      maxSizeBytes: 10 * 1024 * 1024,
      maxFiles: 3,
    },
    ...overrides,
  };
}

/** Builds examples/sources/<name> once, tagged and labelled for this run. */
export async function buildExample(
  engine: DockerEngine,
  runId: string,
  name: string,
): Promise<{ imageId: string; tag: string }> {
  const tag = `runner-test/${name}:${runId}`;
  const { imageId } = await engine.build({
    context: pack(path.join(EXAMPLES_DIR, name)),
    dockerfile: 'Dockerfile',
    buildArgs: {},
    tag,
    labels: { [TEST_RUN_LABEL]: runId },
    timeoutMs: 120_000,
    onLog: () => {},
  });
  return { imageId, tag };
}
