import Docker from 'dockerode';
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { runnerPlugin } from '../plugin';
import { startInstance, waitForState } from '../__testUtils__/instanceApi';
import {
  type TempComponents,
  tempComponents,
} from '../__testUtils__/tempComponents';

/*
 * Twelve builds of one component on the real engine (a file changes each
 * time, so each build has its own cache key), one of the older ones still
 * running. The scheduled prune must leave the component's newest images
 * (imageRetention.keep, per component) and the running one's, remove the
 * rest, and say what it freed in the Prometheus view.
 */

jest.setTimeout(300_000);

const docker = new Docker();
const runId = `p${Date.now().toString(36)}`;
const name = `pruned-${runId}`;
const entityRef = `component:default/${name}`;
const BUILDS = 12;
const KEEP = 3;
const RUNNING = 2; // the second build keeps running

let sources: TempComponents;
let server: any;
const scheduler = mockServices.scheduler();

beforeAll(async () => {
  sources = await tempComponents('prune');
  await sources.write(
    'app',
    'Dockerfile',
    'FROM busybox:latest\nCOPY build.txt /build.txt\nCMD ["sleep", "3600"]\n',
  );
  ({ server } = await startTestBackend({
    features: [
      runnerPlugin,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          runner: {
            docker: {
              resourceLimits: { memory: '16m', cpus: '0.2', pids: 16 },
              imageCleanupPolicy: 'never',
              imageRetention: { keep: 5 },
            },
            components: {
              [name]: {
                docker: {
                  imageRetention: { keep: KEEP },
                  // One keeps running while the others start and stop.
                  maxInstancesPerEntity: 2,
                },
              },
            },
            sources: { allowedLocalRoots: [sources.root] },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [sources.entity(name, 'app')],
      }),
    ],
  }));
});

afterAll(() => sources.cleanup([entityRef]));

async function componentImages(): Promise<string[]> {
  const images = await docker.listImages({
    filters: { label: [`runner.backstage.io/entity-ref=${entityRef}`] },
  });
  return images.map(i => i.Id).sort();
}

it(`keeps the newest ${KEEP} of ${BUILDS} builds and the one a running instance uses`, async () => {
  const builds: Array<{ id: string; imageId: string }> = [];
  for (let n = 1; n <= BUILDS; n++) {
    await sources.write('app', 'build.txt', `build ${n}\n`);
    const started = await startInstance(server, name);
    expect(started.status).toBe(202);
    const running = await waitForState(server, started.body.id, ['running']);
    builds.push({ id: running.id, imageId: running.imageId });
    if (n !== RUNNING) {
      await request(server).post(`/api/runner/instances/${running.id}/stop`);
    }
  }
  const states = await Promise.all(
    builds.map(
      async b =>
        (
          await request(server).get(`/api/runner/instances/${b.id}`)
        ).body.state,
    ),
  );
  expect(states.filter(s => s === 'running')).toHaveLength(1);
  expect(states.filter(s => s === 'stopped')).toHaveLength(BUILDS - 1);
  expect(new Set(builds.map(b => b.imageId)).size).toBe(BUILDS);
  expect(await componentImages()).toEqual(builds.map(b => b.imageId).sort());

  await scheduler.triggerTask('runner-image-retention');

  const kept = [
    builds[RUNNING - 1].imageId,
    ...builds.slice(-KEEP).map(b => b.imageId),
  ].sort();
  expect(await componentImages()).toEqual(kept);
  // The running instance is untouched, and its image is still there.
  const survivor = await request(server).get(
    `/api/runner/instances/${builds[RUNNING - 1].id}`,
  );
  expect(survivor.body.state).toBe('running');
  await expect(
    docker.getImage(builds[RUNNING - 1].imageId).inspect(),
  ).resolves.toBeDefined();

  const metrics = await request(server).get('/api/runner/metrics');
  expect(metrics.status).toBe(200);
  const removed = BUILDS - kept.length;
  expect(metrics.text).toContain(`runner_images_removed_total ${removed}`);
  expect(metrics.text).toContain('runner_images_kept{reason="newest"} 3');
  expect(metrics.text).toContain('runner_images_kept{reason="in_use"} 1');
  const freed = Number(
    /runner_image_prune_freed_bytes_total\{what="image_layers"\} (\d+)/.exec(
      metrics.text,
    )?.[1],
  );
  // Each removed image had a layer of its own (build.txt): something was freed.
  expect(freed).toBeGreaterThan(0);
  console.log(
    `retention: ${BUILDS} builds, ${kept.length} kept, ${removed} removed, ${freed} bytes of layers freed`,
  );

  // A second run finds nothing more to remove.
  await scheduler.triggerTask('runner-image-retention');
  expect(await componentImages()).toEqual(kept);
  expect((await request(server).get('/api/runner/metrics')).text).toContain(
    `runner_images_removed_total ${removed}`,
  );
});
