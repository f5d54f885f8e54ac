/*
 * yarn bench:runner — the runner's own cost, measured against raw Docker in
 * the same process, on the same engine and image:
 *
 *  1. start → running through InstanceService (source fetch, cache key,
 *     cache lookup, port checks, hardened create + start, state writes) vs a
 *     raw dockerode create + start of the same image with the same
 *     HostConfig; alternated, median of N.
 *  2. a restart of an unchanged component vs a cold build of it: build calls
 *     and time.
 *  3. peak backend RSS growth while building a 500 MB context.
 *
 * Wiring is the plugin's (same classes as plugin.ts) with an in-memory
 * SQLite store, so HTTP overhead is not part of the numbers.
 */
import { BUILT_IN_LOG_ROTATION } from '../src/config/diskSettings';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import knexFactory from 'knex';
import type { Entity } from '@backstage/catalog-model';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { readRunnerConfig } from '../src/config/RunnerConfig';
import { resolveEffectiveConfig } from '../src/config/effectiveConfig';
import { configHash } from '../src/config/redaction';
import { ConfigReader } from '@backstage/config';
import { migrateToLatest } from '../src/database/migrations';
import { DockerEngine } from '../src/docker/DockerEngine';
import { hardenedCreateOptions } from '../src/docker/hardening';
import { classifyError } from '../src/errors';
import { DatabaseInstanceStore } from '../src/instances/DatabaseInstanceStore';
import { InstanceService } from '../src/instances/InstanceService';
import { RunnerComponentSources } from '../src/sources';
import { median, percentile, quietLogger } from './util';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const repoRoot = path.resolve(__dirname, '../../..');
const examples = path.join(repoRoot, 'examples');

function entity(
  name: string,
  sourceDir: string,
  extra: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/source-location': `dir:${sourceDir}/`,
        'runner.backstage.io/ports': '8080',
        ...extra,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/platform-team',
      lifecycle: 'experimental',
    },
  };
}

async function main() {
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-bench-'));
  const config = readRunnerConfig(
    new ConfigReader({
      runner: {
        docker: {
          resourceLimits: { memory: '64m', cpus: '0.5', pids: 64 },
          imageCleanupPolicy: 'never',
          maxContextSize: '1g',
        },
        sources: { allowedLocalRoots: [examples, tmpRoot] },
      },
    }),
  );
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await migrateToLatest(knex);
  const engine = new DockerEngine(config.docker);
  let buildCalls = 0;
  const docker = Object.assign(
    Object.create(Object.getPrototypeOf(engine)),
    engine,
    {
      build: (req: Parameters<DockerEngine['build']>[0]) => {
        buildCalls++;
        return engine.build(req);
      },
    },
  ) as DockerEngine;

  const running = new Map<string, () => void>();
  const reachedStarting = new Map<string, number>();
  const service = new InstanceService({
    store: new DatabaseInstanceStore(knex),
    docker,
    sources: new RunnerComponentSources({
      urlReader: undefined as any,
      allowedLocalRoots: config.sources.allowedLocalRoots,
    }),
    classify: classifyError,
    resolveConfig: e => resolveEffectiveConfig(e, config),
    // A fixed key: the bench measures the work, not the key's secrecy.
    configHash: effective => configHash(effective, Buffer.alloc(32, 1)),
    logger: quietLogger,
    stopTimeoutSeconds: 2,
    installationId: 'bench',
    onChange: (instance: RunnerInstance) => {
      if (instance.state === 'starting')
        reachedStarting.set(instance.id, performance.now());
      if (instance.state === 'running' || instance.state === 'failed')
        running.get(instance.id)?.();
    },
  });

  async function startToRunning(
    target: Entity,
  ): Promise<{ ms: number; instance: RunnerInstance }> {
    const t0 = performance.now();
    const started = await service.start(target);
    await new Promise<void>(resolve => {
      running.set(started.id, resolve);
    });
    const ms = performance.now() - t0;
    running.delete(started.id);
    const instance = await service.get(started.id);
    if (instance.state !== 'running')
      throw new Error(`instance failed: ${JSON.stringify(instance.failure)}`);
    return { ms, instance };
  }

  const raw = new Docker();
  const hello = entity(
    'hello-http',
    path.join(examples, 'sources', 'hello-http'),
  );

  // Warm-up: builds the image once, so both sides start the same cached image.
  const warm = await startToRunning(hello);
  const image = warm.instance.imageId!;
  await service.remove(warm.instance.id, hello);

  // 1. start → running, alternated.
  const pluginMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { ms, instance } = await startToRunning(hello);
    pluginMs.push(ms);
    await service.remove(instance.id, hello);

    const t0 = performance.now();
    // The same create body the runner sends, with the engine picking the port.
    const container = await raw.createContainer(
      hardenedCreateOptions(
        {
          image,
          name: `runner-bench-raw-${i}-${Date.now()}`,
          labels: { 'runner.backstage.io/bench': 'raw' },
          env: { GREETING: 'hello' },
          ports: [{ containerPort: 8080, protocol: 'tcp' }],
          limits: {
            memoryBytes: 64 * 1024 * 1024,
            nanoCpus: 500_000_000,
            pidsLimit: 64,
          },
          readOnlyRootfs: false,
          securityOptions: [],
          logRotation: BUILT_IN_LOG_ROTATION,
        },
        [{ containerPort: 8080, protocol: 'tcp' }] as any,
      ),
    );
    await container.start();
    rawMs.push(performance.now() - t0);
    await container.remove({ force: true });
  }

  // 2. cold build vs restart of the unchanged component.
  await docker.removeImage(image).catch(() => undefined);
  buildCalls = 0;
  const cold = await startToRunning(hello);
  const coldBuilds = buildCalls;
  await service.stop(cold.instance.id, hello);
  buildCalls = 0;
  const t0 = performance.now();
  await service.restart(cold.instance.id, hello);
  await new Promise<void>(resolve => running.set(cold.instance.id, resolve));
  const restartMs = performance.now() - t0;
  // Up to `starting`: everything before the container, i.e. the cache decision.
  const restartDecisionMs = reachedStarting.get(cold.instance.id)! - t0;
  const restartBuilds = buildCalls;
  await service.remove(cold.instance.id, hello);

  // 3. a 500 MB build context.
  const bigDir = path.join(tmpRoot, 'big');
  fs.mkdirSync(bigDir);
  fs.writeFileSync(
    path.join(bigDir, 'Dockerfile'),
    'FROM busybox:latest\nCOPY big.bin /big.bin\nCMD ["sh", "-c", "httpd -f -p 8080"]\n',
  );
  const block = randomBytes(1024 * 1024);
  const fd = fs.openSync(path.join(bigDir, 'big.bin'), 'w');
  for (let i = 0; i < 500; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  const big = entity('big-context', bigDir);
  if (global.gc) global.gc();
  const idleRss = process.memoryUsage().rss;
  let peakRss = idleRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const bigRun = await startToRunning(big);
  clearInterval(sampler);
  await service.remove(bigRun.instance.id, big);
  await docker.removeImage(bigRun.instance.imageId!).catch(() => undefined);
  fs.rmSync(tmpRoot, { recursive: true, force: true });
  await service.shutdown();
  await knex.destroy();

  const mPlugin = median(pluginMs);
  const mRaw = median(rawMs);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const lines = [
    `Docker engine ${(await engine.health()).version}, ${
      os.cpus().length
    } CPUs, Node ${process.version}, ${ROUNDS} rounds`,
    '',
    '| measurement | plugin | baseline | ratio | target |',
    '|---|---|---|---|---|',
    `| start → running, median (p90) | ${mPlugin.toFixed(0)} ms (${percentile(
      pluginMs,
      90,
    ).toFixed(0)}) | raw create+start ${mRaw.toFixed(0)} ms (${percentile(
      rawMs,
      90,
    ).toFixed(0)}) | ${(mPlugin / mRaw).toFixed(2)} | ≤ 1.15 |`,
    `| restart of an unchanged component vs cold build | ${restartMs.toFixed(
      0,
    )} ms, ${restartBuilds} build calls | cold ${cold.ms.toFixed(
      0,
    )} ms, ${coldBuilds} build call | ${(restartMs / cold.ms).toFixed(
      3,
    )} | 0 builds, < 0.05 |`,
    `| restart until the image is ready (source, cache key, lookup) | ${restartDecisionMs.toFixed(
      0,
    )} ms | cold build ${cold.ms.toFixed(0)} ms | ${(
      restartDecisionMs / cold.ms
    ).toFixed(3)} | < 0.05 |`,
    `| peak RSS growth, 500 MB context build | ${mb(
      peakRss - idleRss,
    )} MB above ${mb(idleRss)} MB | — | — | ≤ ~50 MB |`,
  ];
  console.log(lines.join('\n'));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
