import net from 'node:net';
import Docker from 'dockerode';
import request from 'supertest';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';

/*
 * What keeps an instance's state true when things go wrong around it, on the
 * real Docker engine: OOM kills, port conflicts, run timeouts, containers
 * removed behind the runner's back, concurrent starts, and a backend restart
 * while a container runs.
 */

jest.setTimeout(180_000);

const docker = new Docker();
const runId = `r${Date.now().toString(36)}`;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function variant(
  base: string,
  name: string,
  annotations: Record<string, string>,
): Entity {
  const entity = exampleEntities().find(e => e.metadata.name === base)!;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      name,
      annotations: { ...entity.metadata.annotations, ...annotations },
    },
  };
}

let takenPort: number;
let blocker: net.Server;

beforeAll(async () => {
  blocker = net.createServer();
  await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
  takenPort = (blocker.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise(resolve => blocker.close(resolve));
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

function entities(): Entity[] {
  return [
    variant('memory-hog', `hog-${runId}`, {}),
    variant('hello-http', `fixed-port-${runId}`, {
      'runner.backstage.io/ports': `${takenPort}:8080`,
    }),
    variant('hello-http', `timed-${runId}`, {}),
    variant('hello-http', `pair-${runId}`, {}),
    variant('hello-http', `survivor-${runId}`, {}),
    variant('hello-http', `lost-${runId}`, {}),
  ];
}

function config() {
  return {
    runner: {
      docker: {
        resourceLimits: { memory: '32m', cpus: '0.5', pids: 64 },
        imageCleanupPolicy: 'never',
      },
      components: {
        [`timed-${runId}`]: { docker: { runTimeout: '3s' } },
        [`pair-${runId}`]: { docker: { maxInstancesPerEntity: 2 } },
      },
      sources: { allowedLocalRoots: [examplesDir()] },
    },
  };
}

async function startBackend(knex?: any) {
  return startTestBackend({
    features: [
      runnerPlugin,
      mockServices.rootConfig.factory({ data: config() }),
      catalogServiceMock.factory({ entities: entities() }),
      ...(knex ? [mockServices.database.factory({ knex })] : []),
    ],
  });
}

async function waitForState(
  server: any,
  id: string,
  states: string[],
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server).get(`/api/runner/instances/${id}`);
    if (states.includes(res.body.state)) return res.body;
    if (Date.now() > deadline) {
      const events = await request(server).get(
        `/api/runner/instances/${id}/events`,
      );
      throw new Error(
        `instance ${id} is ${
          res.body.state
        }, wanted ${states}: ${JSON.stringify(events.body.items)}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

const start = (server: any, name: string) =>
  request(server).post(
    `/api/runner/entities/component/default/${name}/instances`,
  );

describe('instance resilience on the real engine', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(() => backend.stop());

  it('detects an OOM kill and categorizes it', async () => {
    const res = await start(backend.server, `hog-${runId}`);
    const failed = await waitForState(backend.server, res.body.id, [
      'failed',
      'stopped',
    ]);
    expect(failed).toMatchObject({ state: 'failed', oomKilled: true });
    expect(failed.failure).toMatchObject({
      code: 'OOM_KILLED',
      category: 'oom',
    });
  });

  it('fails a start on a taken host port with an error naming the port', async () => {
    const res = await start(backend.server, `fixed-port-${runId}`);
    const failed = await waitForState(backend.server, res.body.id, [
      'failed',
      'running',
    ]);
    expect(failed.state).toBe('failed');
    expect(failed.failure.code).toBe('PORT_IN_USE');
    expect(JSON.stringify(failed.failure)).toContain(String(takenPort));
  });

  it('stops a container when its run timeout passes', async () => {
    const res = await start(backend.server, `timed-${runId}`);
    await waitForState(backend.server, res.body.id, ['running']);
    const timedOut = await waitForState(
      backend.server,
      res.body.id,
      ['failed', 'stopped'],
      60_000,
    );
    expect(timedOut.state).toBe('failed');
    expect(timedOut.failure.code).toBe('RUN_TIMEOUT');
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`runner.backstage.io/instance-id=${res.body.id}`] },
    });
    expect(containers).toEqual([]);
  });

  it('lets exactly maxInstancesPerEntity of many concurrent starts through', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => start(backend.server, `pair-${runId}`)),
    );
    expect(results.map(r => r.status).sort()).toEqual([
      202, 202, 409, 409, 409,
    ]);
    for (const r of results.filter(result => result.status === 202)) {
      await waitForState(backend.server, r.body.id, ['running', 'failed']);
      await request(backend.server).delete(
        `/api/runner/instances/${r.body.id}`,
      );
    }
  });

  it('marks an instance failed when its container is removed behind its back', async () => {
    const res = await start(backend.server, `lost-${runId}`);
    const running = await waitForState(backend.server, res.body.id, [
      'running',
    ]);
    await docker.getContainer(running.containerId).remove({ force: true });
    const lost = await waitForState(
      backend.server,
      res.body.id,
      ['failed', 'stopped'],
      60_000,
    );
    expect(lost.state).toBe('failed');
    expect(lost.failure.code).toMatch(/CONTAINER_/);
  });
});

describe('backend restart', () => {
  it('adopts a running container and can still stop it', async () => {
    const knex = await databases.init('SQLITE_3');
    const first = await startBackend(knex);
    const res = await start(first.server, `survivor-${runId}`);
    const running = await waitForState(first.server, res.body.id, ['running']);
    await first.stop();

    // The container outlives the backend.
    const inspect = await docker.getContainer(running.containerId).inspect();
    expect(inspect.State.Running).toBe(true);

    const second = await startBackend(knex);
    try {
      const adopted = await request(second.server).get(
        `/api/runner/instances/${res.body.id}`,
      );
      expect(adopted.body).toMatchObject({
        state: 'running',
        containerId: running.containerId,
      });
      const stopped = await request(second.server).post(
        `/api/runner/instances/${res.body.id}/stop`,
      );
      expect(stopped.body.state).toBe('stopped');
      await expect(
        docker.getContainer(running.containerId).inspect(),
      ).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await second.stop();
    }
  });
});
