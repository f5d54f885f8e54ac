import Docker from 'dockerode';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';

/*
 * The instances REST API end to end: real plugin wiring, the real Docker
 * engine (DOCKER_HOST), SQLite, and the examples' real sources. The catalog
 * is the in-memory catalog mock holding the example entities.
 */

jest.setTimeout(180_000);

const docker = new Docker();
const runId = `t${Date.now().toString(36)}`;

function entities(): Entity[] {
  const examples = exampleEntities();
  // A copy of hello-http with bad ports, to check that bad input changes nothing.
  const hello = examples.find(e => e.metadata.name === 'hello-http')!;
  const badPorts: Entity = {
    ...hello,
    metadata: {
      ...hello.metadata,
      name: `bad-ports-${runId}`,
      annotations: {
        ...hello.metadata.annotations,
        'runner.backstage.io/ports': 'eighty',
      },
    },
  };
  const escaping: Entity = {
    ...hello,
    metadata: {
      ...hello.metadata,
      name: `escaping-${runId}`,
      annotations: {
        ...hello.metadata.annotations,
        'backstage.io/source-location': 'dir:../../../etc/',
      },
    },
  };
  return [...examples, badPorts, escaping];
}

const config = {
  runner: {
    docker: {
      resourceLimits: { memory: '64m', cpus: '0.5', pids: 64 },
      buildTimeout: '2m',
      imageCleanupPolicy: 'never',
    },
    sources: { allowedLocalRoots: [examplesDir()] },
  },
};

async function startBackend(
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      runnerPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: entities() }),
      mockServices.permissions.factory({ result: permission }),
    ],
  });
  return server;
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
        `instance ${id} still ${
          res.body.state
        }, wanted ${states}; history: ${JSON.stringify(events.body.items)}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

const base = '/api/runner/entities/component/default';

describe('instances API against the real Docker engine', () => {
  let server: any;
  beforeAll(async () => {
    server = await startBackend();
  });

  afterAll(async () => {
    // Anything this suite started and did not remove.
    for (const c of await docker.listContainers({
      all: true,
      filters: { label: ['runner.backstage.io/managed=true'] },
    })) {
      if (
        /hello-http|broken-build|exits-early/.test(
          c.Labels['runner.backstage.io/entity-ref'] ?? '',
        )
      ) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
  });

  it('builds, runs hardened on 127.0.0.1, serves, refuses a second start, stops, and restarts from cache', async () => {
    const started = await request(server).post(`${base}/hello-http/instances`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      entityRef: 'component:default/hello-http',
      state: 'pending',
    });
    const id = started.body.id;

    // maxInstancesPerEntity defaults to 1.
    const second = await request(server).post(`${base}/hello-http/instances`);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain('maxInstancesPerEntity');

    const running = await waitForState(server, id, ['running', 'failed']);
    expect(running.failure).toBeUndefined();
    expect(running.state).toBe('running');
    const [port] = running.ports;
    expect(port).toMatchObject({ containerPort: 8080, hostIp: '127.0.0.1' });

    const health = await fetch(`http://127.0.0.1:${port.hostPort}/healthz`);
    expect((await health.text()).trim()).toBe('ok');

    const inspect = await docker.getContainer(running.containerId).inspect();
    expect(inspect.HostConfig.CapDrop).toEqual(['ALL']);
    expect(inspect.HostConfig.SecurityOpt).toEqual(
      expect.arrayContaining([expect.stringMatching(/^no-new-privileges/)]),
    );
    expect(inspect.HostConfig.Privileged).toBe(false);
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.MemorySwap).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.PidsLimit).toBe(64);
    expect(inspect.HostConfig.NanoCpus).toBe(500_000_000);
    expect(inspect.Config.Labels).toMatchObject({
      'runner.backstage.io/managed': 'true',
      'runner.backstage.io/entity-ref': 'component:default/hello-http',
      'runner.backstage.io/instance-id': id,
    });
    expect(inspect.Config.Env).toContain('GREETING=hello');

    const buildLog = await request(server).get(
      `/api/runner/instances/${id}/logs?stream=build&tail=all`,
    );
    expect(buildLog.status).toBe(200);
    expect(buildLog.text.length).toBeGreaterThan(0);

    const stopped = await request(server).post(
      `/api/runner/instances/${id}/stop`,
    );
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('stopped');
    await expect(
      docker.getContainer(running.containerId).inspect(),
    ).rejects.toMatchObject({ statusCode: 404 });

    // Unchanged source: the restart reuses the image, no build at all.
    const restarted = await request(server).post(
      `/api/runner/instances/${id}/restart`,
    );
    expect(restarted.status).toBe(202);
    const again = await waitForState(server, id, ['running', 'failed']);
    expect(again.state).toBe('running');
    expect(again.imageId).toBe(running.imageId);
    const events = await request(server).get(
      `/api/runner/instances/${id}/events`,
    );
    const transitions = events.body.items.map(
      (e: any) => `${e.fromState ?? '-'}>${e.toState}`,
    );
    expect(transitions.slice(-3)).toEqual([
      'stopped>pending',
      'pending>starting',
      'starting>running',
    ]);
    expect(
      events.body.items.find((e: any) => e.message === 'build cache hit'),
    ).toBeDefined();

    const effective = await request(server).get(
      `${base}/hello-http/effective-config`,
    );
    expect(effective.status).toBe(200);
    expect(effective.body.docker.resourceLimits).toMatchObject({
      memoryBytes: 64 * 1024 * 1024,
      pidsLimit: 64,
    });

    const removed = await request(server).delete(`/api/runner/instances/${id}`);
    expect(removed.status).toBe(204);
    expect(
      (await request(server).get(`/api/runner/instances/${id}`)).status,
    ).toBe(404);
  });

  it('reports a failed build as a categorized error naming the step', async () => {
    const started = await request(server).post(
      `${base}/broken-build/instances`,
    );
    expect(started.status).toBe(202);
    const failed = await waitForState(server, started.body.id, [
      'failed',
      'running',
    ]);
    expect(failed.state).toBe('failed');
    expect(failed.failure).toMatchObject({
      code: 'BUILD_STEP_FAILED',
      recoverable: false,
    });
    expect(failed.failure.remediation.length).toBeGreaterThan(0);
    const log = await request(server).get(
      `/api/runner/instances/${started.body.id}/logs?stream=build`,
    );
    expect(log.text).toContain('missing file app.conf');
    await request(server).delete(`/api/runner/instances/${started.body.id}`);
  });

  it('marks an instance whose container exits with an error as failed, with its exit code', async () => {
    const started = await request(server).post(`${base}/exits-early/instances`);
    const failed = await waitForState(
      server,
      started.body.id,
      ['failed', 'stopped'],
      150_000,
    );
    expect(failed).toMatchObject({
      state: 'failed',
      exitCode: 3,
      oomKilled: false,
    });
    const runLog = await request(server).get(
      `/api/runner/instances/${started.body.id}/logs?stream=run`,
    );
    expect(runLog.text).toContain('exiting with code 3');
    await request(server).delete(`/api/runner/instances/${started.body.id}`);
  });

  it.each([
    [
      'an unknown entity',
      'post',
      `${base}/no-such-thing/instances`,
      404,
      'No catalog entity',
    ],
    [
      'a malformed entity name',
      'post',
      `${base}/bad%20name/instances`,
      400,
      'name',
    ],
    [
      'bad ports',
      'post',
      `${base}/bad-ports-${runId}/instances`,
      400,
      'runner.backstage.io/ports',
    ],
    // More of these, with the database checked, in instancesRouter.runnable.test.ts.
    [
      'a source outside the allowed roots',
      'post',
      `${base}/escaping-${runId}/instances`,
      400,
      'runner.sources.allowedLocalRoots',
    ],
    [
      'a malformed instance id',
      'get',
      '/api/runner/instances/not-a-uuid',
      400,
      'instance id',
    ],
    [
      'an unknown log stream',
      'get',
      '/api/runner/instances/00000000-0000-4000-8000-000000000000/logs?stream=stderr',
      400,
      'stream',
    ],
    [
      'an unknown query parameter',
      'get',
      '/api/runner/instances/00000000-0000-4000-8000-000000000000/logs?colour=red',
      400,
      'colour',
    ],
  ])(
    'answers %s with a clear status',
    async (_what, method, url, status, text) => {
      const res = await (request(server) as any)[method](url);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(text);
      // Bad input changes nothing.
      for (const name of [`bad-ports-${runId}`, `escaping-${runId}`]) {
        const list = await request(server).get(`${base}/${name}/instances`);
        expect(list.body.items).toEqual([]);
      }
    },
  );
});

describe('instances API permissions', () => {
  it('refuses every route when the policy denies, naming the permission', async () => {
    const server = await startBackend(AuthorizeResult.DENY);
    const start = await request(server).post(`${base}/hello-http/instances`);
    expect(start.status).toBe(403);
    expect(start.body.error.message).toContain('runner.instance.create');
    const list = await request(server).get(`${base}/hello-http/instances`);
    expect(list.status).toBe(403);
    const effective = await request(server).get(
      `${base}/hello-http/effective-config`,
    );
    expect(effective.status).toBe(403);
  });
});
