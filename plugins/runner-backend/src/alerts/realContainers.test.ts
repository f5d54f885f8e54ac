import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type {
  Alert,
  ErrorEventPage,
  InstanceHealth,
  InstanceMetrics,
  MetricName,
} from '@internal/plugin-runner-common';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';

/*
 * The whole plugin on the real Docker engine, with the example components
 * that misbehave: a CPU burner, a memory hog (OOM-killed), a container that
 * exits (a crash), one that turns unhealthy. Each must raise exactly one alert of its
 * rule (and keep it one), show in health and metrics, and leave the right
 * categorized error. The four run at once.
 *
 * startTestBackend's scheduler is Backstage's MockSchedulerService: it runs
 * every task once at start-up and afterwards only when triggered, never on
 * its schedule. So the test triggers the plugin's own scheduled tasks
 * (sampling, probing, the alert tick) every second, as the real scheduler
 * would with `sampleInterval: 1s`.
 */

jest.setTimeout(180_000);

const docker = new Docker();
const runId = `a${Date.now().toString(36)}`;
const MiB = 1024 * 1024;

const names = {
  cpu: `cpu-${runId}`,
  hog: `hog-${runId}`,
  exits: `exits-${runId}`,
  unhealthy: `unhealthy-${runId}`,
};

function variant(base: string, name: string, env?: string): Entity {
  const entity = exampleEntities().find(e => e.metadata.name === base)!;
  const annotations = { ...entity.metadata.annotations };
  if (env) annotations['runner.backstage.io/env'] = env;
  return { ...entity, metadata: { ...entity.metadata, name, annotations } };
}

const entities = [
  variant('cpu-burner', names.cpu),
  // Long enough a delay for a sample or two before the kill.
  variant('memory-hog', names.hog, 'HOG_MB=2000,HOG_DELAY=4'),
  variant('exits-early', names.exits, 'WORK_SECONDS=5'),
  // Unhealthy after ~15 s instead of ~30 s.
  variant('turns-unhealthy', names.unhealthy, 'HEALTHY_SECONDS=3'),
];

const config = {
  runner: {
    monitoring: { sampleInterval: '1s' },
    alerts: {
      rules: {
        cpu: { threshold: 0.5, duration: '3s' },
        unhealthy: { duration: '3s' },
      },
    },
    docker: {
      resourceLimits: { memory: '32m', cpus: '0.5', pids: 64 },
      imageCleanupPolicy: 'never',
    },
    sources: { allowedLocalRoots: [examplesDir()] },
  },
};

// Typed as the public SchedulerService, whose triggerTask runs a task now.
const scheduler = mockServices.scheduler();
const schedulerFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {},
  factory: () => scheduler,
});
const TASKS = [
  'runner-sample-metrics',
  'runner-probe-health',
  'runner-alerts-tick',
];
let pump: ReturnType<typeof setInterval> | undefined;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
const instanceIds: Record<string, string> = {};
const startedAt = Date.now();

const ref = (name: string) => `component:default/${name}`;

async function alertsOf(name: string): Promise<Alert[]> {
  const res = await request(backend.server)
    .get('/api/runner/alerts')
    .query({ entityRef: ref(name), state: 'all' });
  expect(res.status).toBe(200);
  return res.body.items;
}

async function errorsOf(name: string): Promise<ErrorEventPage['items']> {
  const res = await request(backend.server)
    .get('/api/runner/errors')
    .query({ entityRef: ref(name) });
  expect(res.status).toBe(200);
  return res.body.items;
}

async function healthOf(name: string): Promise<InstanceHealth> {
  const res = await request(backend.server).get(
    `/api/runner/instances/${instanceIds[name]}/health`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

async function metricsOf(name: string): Promise<InstanceMetrics> {
  const res = await request(backend.server)
    .get(`/api/runner/instances/${instanceIds[name]}/metrics`)
    .query({ from: startedAt - 60_000, to: Date.now() + 1_000, step: '1s' });
  expect(res.status).toBe(200);
  return res.body;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 90_000,
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
    await sleep(500);
    value = await read();
  }
  return value;
}

/** Waits for the first alert, then checks that more breaches add no second one. */
async function exactlyOneAlert(name: string, rule: string): Promise<Alert> {
  await waitFor(
    `an alert for ${name}`,
    () => alertsOf(name),
    alerts => alerts.length > 0,
  );
  await sleep(5_000);
  const alerts = await alertsOf(name);
  expect(alerts.map(a => a.rule)).toEqual([rule]);
  return alerts[0];
}

/** The largest value of one series over the whole range (-Infinity when none). */
function maxOf(metrics: InstanceMetrics, name: MetricName): number {
  const series = metrics.series.find(s => s.name === name);
  return Math.max(...(series?.max ?? []).map(v => v ?? -Infinity));
}

beforeAll(async () => {
  backend = await startTestBackend({
    features: [
      runnerPlugin,
      schedulerFactory,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  pump = setInterval(() => {
    for (const id of TASKS) scheduler.triggerTask(id).catch(() => undefined);
  }, 1_000);
  await Promise.all(
    Object.values(names).map(async name => {
      const res = await request(backend.server).post(
        `/api/runner/entities/component/default/${name}/instances`,
      );
      if (res.status !== 202) {
        throw new Error(`start of ${name}: ${res.status} ${res.text}`);
      }
      instanceIds[name] = res.body.id;
    }),
  );
});

afterAll(async () => {
  clearInterval(pump);
  await backend?.stop();
  const leftovers = await docker.listContainers({
    all: true,
    filters: { label: ['runner.backstage.io/managed=true'] },
  });
  for (const c of leftovers.filter(l =>
    (l.Labels['runner.backstage.io/entity-ref'] ?? '').includes(runId),
  )) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
});

describe('alerts from real containers, through the whole plugin', () => {
  it('a CPU burner raises one cpu alert and stays healthy', async () => {
    const alert = await exactlyOneAlert(names.cpu, 'cpu');
    expect(alert).toMatchObject({
      state: 'open',
      count: 1,
      instanceId: instanceIds[names.cpu],
    });

    const health = await waitFor(
      'cpu-burner healthy',
      () => healthOf(names.cpu),
      h => h.status === 'healthy',
    );
    expect(health).toMatchObject({ instanceState: 'running', source: 'http' });
    const metrics = await metricsOf(names.cpu);
    // Half a core: the limit. At least 0.4 of one core, at most 0.7.
    expect(maxOf(metrics, 'cpuRatio')).toBeGreaterThan(0.4);
    expect(maxOf(metrics, 'cpuRatio')).toBeLessThan(0.7);
    expect(maxOf(metrics, 'memoryLimitBytes')).toBe(32 * MiB);
    expect(await errorsOf(names.cpu)).toEqual([]);
  });

  it('a memory hog is OOM-killed: one oom alert, OOM_KILLED in the error history', async () => {
    const alert = await exactlyOneAlert(names.hog, 'oom');
    expect(alert).toMatchObject({ severity: 'critical', count: 1 });

    const errors = await errorsOf(names.hog);
    expect(errors.map(e => e.code)).toEqual(['OOM_KILLED']);
    expect(errors[0]).toMatchObject({
      category: 'oom',
      instanceId: instanceIds[names.hog],
    });
    const health = await healthOf(names.hog);
    expect(health).toMatchObject({
      instanceState: 'failed',
      status: 'failed',
      oomKilled: true,
      oomKills: 1,
    });
    const metrics = await metricsOf(names.hog);
    expect(maxOf(metrics, 'memoryLimitBytes')).toBe(32 * MiB);
  });

  it('a container that exits: one crash alert quoting its last line, CONTAINER_EXITED in the error history', async () => {
    const alert = await exactlyOneAlert(names.exits, 'crash');
    expect(alert).toMatchObject({ count: 1, severity: 'high' });
    expect(alert.message).toMatch(/^exits-early: fatal: lost connection/);

    const errors = await errorsOf(names.exits);
    expect(errors.map(e => e.code)).toEqual(['CONTAINER_EXITED']);
    const health = await healthOf(names.exits);
    expect(health).toMatchObject({
      instanceState: 'failed',
      status: 'failed',
      oomKilled: false,
      exitCode: 3,
    });
    const metrics = await metricsOf(names.exits);
    expect(metrics.timestamps.length).toBeGreaterThan(0);
    expect(maxOf(metrics, 'pids')).toBeGreaterThan(0);
  });

  it('a container that turns unhealthy: one unhealthy alert, health unhealthy', async () => {
    const alert = await exactlyOneAlert(names.unhealthy, 'unhealthy');
    expect(alert).toMatchObject({ state: 'open', count: 1 });

    const health = await healthOf(names.unhealthy);
    expect(health).toMatchObject({
      instanceState: 'running',
      status: 'unhealthy',
      source: 'docker',
    });
    const metrics = await metricsOf(names.unhealthy);
    expect(metrics.timestamps.length).toBeGreaterThan(0);
    expect(await errorsOf(names.unhealthy)).toEqual([]);
  });
});
