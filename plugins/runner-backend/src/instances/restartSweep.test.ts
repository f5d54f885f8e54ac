import Docker from 'dockerode';
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { Alert } from '@internal/plugin-runner-common';
import { runnerPlugin } from '../plugin';
import { removeEntityObjects } from '../__testUtils__/tempComponents';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import { eventually, waitForState } from '../__testUtils__/instanceApi';

/*
 * The backend is stopped while an instance runs with an open alert, and the
 * instance's container is removed meanwhile. The next backend's reconciler
 * must mark the instance, saying why, and resolve the alert, saying why:
 * nothing else will ever observe that instance again.
 *
 * startTestBackend's scheduler runs every task once at start-up (the
 * reconcile included) and later only when triggered; the test triggers the
 * sampling itself, as the real scheduler would every second.
 */

jest.setTimeout(180_000);

const docker = new Docker();
const runId = `s${Date.now().toString(36)}`;
const name = `vanish-${runId}`;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const burner = exampleEntities().find(e => e.metadata.name === 'cpu-burner')!;
const entity: Entity = { ...burner, metadata: { ...burner.metadata, name } };

function features(knex: unknown, scheduler = mockServices.scheduler()) {
  return [
    runnerPlugin,
    createServiceFactory({
      service: coreServices.scheduler,
      deps: {},
      factory: () => scheduler,
    }),
    mockServices.rootConfig.factory({
      data: {
        runner: {
          monitoring: { sampleInterval: '1s' },
          alerts: { rules: { cpu: { threshold: 0.2, duration: '0s' } } },
          docker: {
            resourceLimits: { memory: '32m', cpus: '0.5', pids: 64 },
            imageCleanupPolicy: 'never',
          },
          sources: { allowedLocalRoots: [examplesDir()] },
        },
      },
    }),
    catalogServiceMock.factory({ entities: [entity] }),
    mockServices.database.factory({ knex: knex as any }),
  ];
}

async function alertsOf(server: any): Promise<Alert[]> {
  const res = await request(server)
    .get('/api/runner/alerts')
    .query({ entityRef: `component:default/${name}`, state: 'all' });
  return res.body.items;
}

afterAll(() => removeEntityObjects([`component:default/${name}`]));

it('comes back with the vanished instance marked and its alert resolved, each with a reason', async () => {
  const knex = await databases.init('SQLITE_3');
  const scheduler = mockServices.scheduler();
  const first = await startTestBackend({ features: features(knex, scheduler) });
  const started = await request(first.server).post(
    `/api/runner/entities/component/default/${name}/instances`,
  );
  const running = await waitForState(first.server, started.body.id, [
    'running',
  ]);
  // Two samples give a CPU value; at 0.2 of the limit the burner breaches at once.
  const open = await eventually(
    async () => {
      await scheduler.triggerTask('runner-sample-metrics');
      const alerts = await alertsOf(first.server);
      return alerts.find(a => a.rule === 'cpu' && a.state === 'open');
    },
    () => 'no cpu alert opened',
  );
  await first.stop();

  // While no backend watches, the container goes.
  await docker.getContainer(running.containerId).remove({ force: true });

  const second = await startTestBackend({ features: features(knex) });
  try {
    const failed = await waitForState(second.server, running.id, ['failed']);
    expect(failed.failure).toMatchObject({ code: 'CONTAINER_NOT_FOUND' });
    expect(failed.failure.userMessage).toMatch(/gone|disappeared|no longer/i);
    const resolved = await eventually(
      async () =>
        (
          await alertsOf(second.server)
        ).find(a => a.id === open.id && a.state === 'resolved'),
      async () => JSON.stringify(await alertsOf(second.server)),
      30_000,
    );
    const events = await request(second.server).get(
      `/api/runner/instances/${running.id}/events`,
    );
    expect(events.body.items.map((e: any) => e.message)).toContain(
      'container gone',
    );
    expect(resolved.details).toMatchObject({
      resolution: 'instance stopped',
      reason: `the instance failed: ${failed.failure.userMessage}`,
    });
  } finally {
    await second.stop();
  }
});
