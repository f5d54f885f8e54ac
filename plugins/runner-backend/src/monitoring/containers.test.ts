import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  CategorizedError,
  InstanceHealth,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateToLatest } from '../database/migrations';
import {
  buildExample,
  newRunId,
  removeRunObjects,
  runRequest,
  testEngine,
} from '../docker/__testUtils__/dockerTestEnv';
import type { RunRequest } from '../docker/types';
import { classifyError } from '../errors/classifyError';
import { ErrorStore } from '../errors/ErrorStore';
import { DatabaseInstanceStore } from '../instances/DatabaseInstanceStore';
import {
  InstanceLifecycle,
  type LifecycleDeps,
} from '../instances/InstanceLifecycle';
import { HealthCheckStore } from './HealthCheckStore';
import { HealthProber } from './HealthProber';
import { MetricsSampler } from './MetricsSampler';
import { MetricsStore } from './MetricsStore';
import { RunnerMetrics } from './prometheus';

/*
 * Sampling and health against the real Docker engine, with the example
 * components: a CPU burner, a memory hog, a container that exits, one that
 * turns unhealthy, and a plain HTTP service. They all start at once, so the
 * slow ones (OOM, unhealthy) run while the others are checked.
 */

jest.setTimeout(180_000);

const runId = newRunId('mon');
const engine = testEngine();
const databases = createTestDatabases();
const MiB = 1024 * 1024;

let knex: Knex;
let store: DatabaseInstanceStore;
let errors: ErrorStore;
let metrics: MetricsStore;
let sampler: MetricsSampler;
let lifecycle: InstanceLifecycle;
const healthPaths = new Map<string, string>();
const failures: CategorizedError[] = [];
const started: Record<string, RunnerInstance> = {};

function prober(startPeriodMs = 30_000) {
  return new HealthProber({
    instances: store,
    docker: engine,
    checks: new HealthCheckStore(knex, 20),
    errors,
    healthPathOf: async instance => healthPaths.get(instance.id),
    timeoutMs: 2_000,
    startPeriodMs,
  });
}

/** A running instance row for a container started from an example image. */
async function startInstance(
  name: string,
  image: string,
  overrides: Partial<RunRequest>,
  healthPath?: string,
): Promise<RunnerInstance> {
  const id = randomUUID();
  const entityRef = `component:default/${name}-${runId}`;
  await store.create({ id, entityRef, maxActive: 1 });
  await store.transition(id, ['pending'], 'starting');
  const container = await engine.run(runRequest(runId, image, overrides));
  if (healthPath) healthPaths.set(id, healthPath);
  return (await store.transition(id, ['starting'], 'running', {
    containerId: container.id,
    ports: container.ports,
    startedAt: new Date(),
  }))!;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not reached in ${timeoutMs} ms; last: ${JSON.stringify(
          value,
        )}`,
      );
    }
    await sleep(1_000);
    value = await read();
  }
  return value;
}

const exited = (id: string) =>
  waitFor(
    `container ${id} exited`,
    () => engine.inspect(id),
    s => s?.status === 'exited',
    60_000,
  );

beforeAll(async () => {
  knex = await databases.init('SQLITE_3');
  await migrateToLatest(knex);
  store = new DatabaseInstanceStore(knex);
  errors = new ErrorStore(knex);
  metrics = new MetricsStore(knex, { rawRetentionMs: 86_400_000 });
  sampler = new MetricsSampler({
    instances: store,
    docker: engine,
    store: metrics,
    logger: mockServices.logger.mock(),
  });
  // The lifecycle as the plugin wires it, minus what an exit does not use
  // (sources; the installation id only labels new containers).
  const deps = {
    store,
    docker: engine,
    sources: undefined,
    classify: classifyError,
    logger: mockServices.logger.mock(),
    stopTimeoutSeconds: 1,
    installationId: runId,
    onFailure: (instance: RunnerInstance, failure: CategorizedError) => {
      failures.push(failure);
      return errors.record(instance, failure);
    },
  };
  lifecycle = new InstanceLifecycle(deps as unknown as LifecycleDeps);

  const names = [
    'cpu-burner',
    'memory-hog',
    'exits-early',
    'turns-unhealthy',
    'hello-http',
  ];
  const images = Object.fromEntries(
    await Promise.all(
      names.map(async n => [n, (await buildExample(engine, runId, n)).imageId]),
    ),
  );
  const limits = {
    memoryBytes: 64 * MiB,
    nanoCpus: 500_000_000,
    pidsLimit: 64,
  };
  const web = [{ containerPort: 8080, protocol: 'tcp' as const }];
  const [burner, hog, exits, unhealthy, hello] = await Promise.all([
    startInstance(
      'cpu-burner',
      images['cpu-burner'],
      { ports: web, limits },
      '/healthz',
    ),
    startInstance('memory-hog', images['memory-hog'], {
      env: { HOG_MB: '256', HOG_DELAY: '1' },
      limits: { ...limits, memoryBytes: 24 * MiB },
    }),
    startInstance('exits-early', images['exits-early'], {
      env: { WORK_SECONDS: '1' },
    }),
    startInstance('turns-unhealthy', images['turns-unhealthy'], {
      ports: web,
      env: { HEALTHY_SECONDS: '3' },
    }),
    startInstance(
      'hello-http',
      images['hello-http'],
      { ports: web },
      '/healthz',
    ),
  ]);
  Object.assign(started, { burner, hog, exits, unhealthy, hello });
});

afterAll(async () => {
  await removeRunObjects(runId);
});

describe('monitoring real containers', () => {
  it('samples the CPU burner near its 0.5-core limit from the second sample on, and a quiet service near zero', async () => {
    const first = await sampler.sampleOnce();
    expect(first.sampled).toBeGreaterThanOrEqual(2);
    await sleep(2_000);
    const second = await sampler.sampleOnce();
    expect(second.failed).toBe(0);

    const now = new Date();
    const range = {
      from: new Date(now.getTime() - 60_000),
      to: now,
      stepMs: 1_000,
    };
    const burner = await metrics.query(started.burner.id, range);
    const cpu = burner.series.find(s => s.name === 'cpuRatio')!;
    // The first sample of a container has no CPU value; the second does.
    expect(cpu.max.filter(v => v !== null)).toHaveLength(1);
    const ratio = cpu.max.find(v => v !== null)!;
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(0.75);
    const memory = burner.series.find(s => s.name === 'memoryLimitBytes')!;
    expect(memory.max.at(-1)).toBe(64 * MiB);
    const pids = burner.series.find(s => s.name === 'pids')!;
    expect(pids.max.at(-1)).toBeGreaterThanOrEqual(3); // shell, burner loop, httpd

    const hello = await metrics.query(started.hello.id, range);
    const helloCpu = hello.series
      .find(s => s.name === 'cpuRatio')!
      .max.find(v => v !== null);
    expect(helloCpu).toBeLessThan(0.1);
    expect(
      hello.series.find(s => s.name === 'memoryWorkingSetBytes')!.max.at(-1),
    ).toBeGreaterThan(0);

    // The operators' view of the same numbers.
    const text = await new RunnerMetrics({
      store: metrics,
      sampler,
      freshnessMs: 60_000,
    }).render();
    const line = text
      .split('\n')
      .find(
        l =>
          l.startsWith('runner_instance_cpu_ratio{') &&
          l.includes(started.burner.id),
      )!;
    expect(line).toContain(
      `entity_ref="component:default/cpu-burner-${runId}"`,
    );
    expect(Number(line.split(' ').at(-1))).toBeCloseTo(ratio, 6);
    expect(text).toContain('runner_sampling_rounds_total 2');
  });

  it('reports the HTTP service healthy through its published port, and a wrong path unhealthy', async () => {
    const health = await waitFor(
      'hello-http healthy',
      () => prober().health(started.hello),
      h => h.status !== 'starting',
      20_000,
    );
    expect(health).toMatchObject({
      status: 'healthy',
      source: 'http',
      restartCount: 0,
      oomKilled: false,
      oomKills: 0,
    });
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(health.checks[0]).toMatchObject({
      status: 'healthy',
      source: 'http',
    });
    expect(health.checks[0].latencyMs).toBeLessThan(2_000);

    healthPaths.set(started.hello.id, '/no-such-page');
    const wrong = await prober(0).health(started.hello);
    expect(wrong).toMatchObject({
      status: 'unhealthy',
      source: 'http',
      detail: 'HTTP 404 from /no-such-page',
    });
    healthPaths.delete(started.hello.id);
    const unknown = await prober().health(started.hello);
    expect(unknown.status).toBe('unknown');
    expect(unknown.detail).toContain('runner.backstage.io/health-path');
    // Every check is kept, newest first.
    expect(unknown.checks.map(c => c.status).slice(0, 2)).toEqual([
      'unknown',
      'unhealthy',
    ]);
  });

  it('sees the memory hog OOM-killed: stopped, then failed, never unhealthy, one OOM kill in health and in the error history', async () => {
    const state = await exited(started.hog.containerId!);
    expect(state?.oomKilled).toBe(true);
    const before = await prober().health(started.hog);
    expect(before).toMatchObject({
      status: 'stopped',
      oomKilled: true,
      oomKills: 1,
      instanceState: 'running',
    });
    expect(before.detail).toContain('OOM');

    await lifecycle.containerExited(started.hog.id);
    const failed = (await store.get(started.hog.id))!;
    expect(failed).toMatchObject({ state: 'failed', oomKilled: true });
    const after = await prober().health(failed);
    expect(after).toMatchObject({
      status: 'failed',
      source: 'state',
      oomKilled: true,
      oomKills: 1,
    });
    const history = await errors.list(
      { instanceId: started.hog.id },
      { limit: 10 },
    );
    expect(history.items.map(e => e.code)).toEqual(['OOM_KILLED']);
  });

  it('reports the container that exits as stopped, then failed, with its exit code, and counts a restart', async () => {
    await exited(started.exits.containerId!);
    const before = await prober().health(started.exits);
    expect(before).toMatchObject({
      status: 'stopped',
      exitCode: 3,
      oomKilled: false,
    });
    expect(before.detail).toContain('exited with code 3');
    // A container that stopped is not sampled (and does not fail the round).
    const round = await sampler.sampleOnce();
    expect(round.failed).toBe(0);

    await lifecycle.containerExited(started.exits.id);
    const failed = (await store.get(started.exits.id))!;
    expect(failed.state).toBe('failed');
    expect(await prober().health(failed)).toMatchObject({
      status: 'failed',
      exitCode: 3,
    });
    expect(failures.map(f => f.code)).toContain('CONTAINER_EXITED');

    // Restarted through the runner: counted, and `starting` until it runs.
    await store.acquireSlot(failed.id, failed.entityRef, 1);
    const pending = (await store.transition(failed.id, ['failed'], 'pending', {
      containerId: null,
    }))!;
    expect(await prober().health(pending)).toMatchObject({
      status: 'starting',
      restartCount: 1,
    });
  });

  it('turns the HEALTHCHECK container unhealthy from Docker’s own status', async () => {
    let seen: InstanceHealth[] = [];
    const health = await waitFor(
      'turns-unhealthy unhealthy',
      async () => {
        const h = await prober().health(started.unhealthy);
        seen = [...seen, h];
        return h;
      },
      h => h.status === 'unhealthy',
      60_000,
    );
    expect(health).toMatchObject({
      source: 'docker',
      detail: 'Docker HEALTHCHECK: unhealthy',
      instanceState: 'running',
    });
    // It was not unhealthy from the start.
    expect(seen[0].status).not.toBe('unhealthy');
    expect(health.checks.length).toBeGreaterThan(1);
    expect(health.checks.at(-1)!.status).not.toBe('unhealthy');
  });

  it('checks every running instance in one call', async () => {
    const result = await prober().probeAll();
    expect(result).toEqual({ probed: 3, failed: 0 }); // burner, unhealthy, hello; hog and exits failed
    const [{ n }] = await knex('health_checks')
      .where('instance_id', started.burner.id)
      .count({ n: '*' });
    expect(Number(n)).toBe(1);
  });
});
