import Docker from 'dockerode';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import { DedicatedEngine } from './__testUtils__/dedicatedEngine';

/*
 * The Docker engine goes away under a running instance: stopped (SIGTERM,
 * it stops its containers on the way down) and killed (SIGKILL, it stops
 * them when it starts again). Nobody asked the instance to stop, so it fails
 * with DOCKER_ENGINE_LOST (the platform's), in the error history. On an
 * engine of its own (DedicatedEngine), so no other test loses its engine;
 * it needs root, and runs in its own step of scripts/test.sh
 * (RUNNER_DAEMON_RESTART_TEST=1).
 */

jest.setTimeout(300_000);
const enabled = process.env.RUNNER_DAEMON_RESTART_TEST === '1';
const runId = `d${Date.now().toString(36)}`;

function entity(name: string): Entity {
  const hello = exampleEntities().find(e => e.metadata.name === 'hello-http')!;
  return { ...hello, metadata: { ...hello.metadata, name } };
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
    if (Date.now() > deadline)
      throw new Error(`instance ${id} is ${res.body.state}, wanted ${states}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

(enabled ? describe : describe.skip)(
  'the Docker engine going away under a running instance',
  () => {
    const engine = new DedicatedEngine();
    const docker = new Docker({ socketPath: engine.socketPath });
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: any;

    beforeAll(async () => {
      await engine.start();
      backend = await startTestBackend({
        features: [
          runnerPlugin,
          mockServices.rootConfig.factory({
            data: {
              runner: {
                docker: {
                  host: engine.host,
                  resourceLimits: { memory: '64m', pids: 64 },
                  imageCleanupPolicy: 'never',
                },
                sources: { allowedLocalRoots: [examplesDir()] },
              },
            },
          }),
          catalogServiceMock.factory({
            entities: ['stopped', 'killed', 'after'].map(n =>
              entity(`${n}-${runId}`),
            ),
          }),
        ],
      });
      server = backend.server;
    });

    afterAll(async () => {
      await backend?.stop();
      const leftovers = await docker
        .listContainers({
          all: true,
          filters: { label: ['runner.backstage.io/managed=true'] },
        })
        .catch(() => []);
      for (const c of leftovers) {
        if (
          (c.Labels['runner.backstage.io/entity-ref'] ?? '').includes(runId)
        ) {
          await docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined);
        }
      }
      await engine.stop();
    });

    async function runningInstance(name: string) {
      const started = await request(server).post(
        `/api/runner/entities/component/default/${name}-${runId}/instances`,
      );
      expect(started.status).toBe(202);
      return waitForState(server, started.body.id, ['running']);
    }

    /** What a user sees afterwards: a platform failure, not a stop, and one entry in the error history. */
    async function expectEngineLost(id: string) {
      const after = await waitForState(server, id, ['stopped', 'failed']);
      expect(after.state).toBe('failed');
      expect(after.failure).toMatchObject({
        code: 'DOCKER_ENGINE_LOST',
        category: 'docker-unavailable',
        origin: 'platform',
        recoverable: true,
        remediation: expect.stringContaining('live-restore'),
        detail: expect.stringContaining('the Docker engine was out of reach'),
      });
      const transitions = (
        await request(server).get(`/api/runner/instances/${id}/events`)
      ).body.items.map((e: any) => `${e.fromState}>${e.toState}`);
      expect(transitions.slice(-2)).toEqual([
        'running>stopping',
        'stopping>failed',
      ]);
      const history = await request(server).get(
        `/api/runner/instances/${id}/errors`,
      );
      expect(history.body.items.map((e: any) => e.code)).toEqual([
        'DOCKER_ENGINE_LOST',
      ]);
      return after;
    }

    it('fails an instance whose engine was stopped (SIGTERM) as the platform’s failure', async () => {
      const running = await runningInstance('stopped');
      await engine.restart();
      const after = await expectEngineLost(running.id);
      // hello-http ends on SIGTERM with 0: the engine stopped it, cleanly.
      expect(after.exitCode).toBe(0);
      const inspect = await docker
        .getContainer(running.containerId)
        .inspect()
        .catch(() => undefined);
      expect(inspect?.State.Running ?? false).toBe(false);
    });

    it('fails an instance whose engine was killed (SIGKILL) once the engine is back', async () => {
      const running = await runningInstance('killed');
      await engine.killAndStart();
      const after = await expectEngineLost(running.id);
      // Without live-restore, the restarted engine stops what it finds running: SIGTERM, then 0.
      expect(after.exitCode).toBe(0);
    });

    it('watches again afterwards: a container killed from outside is the container’s failure', async () => {
      const again = await runningInstance('after');
      await docker.getContainer(again.containerId).kill();
      const killed = await waitForState(server, again.id, ['failed'], 30_000);
      expect(killed.exitCode).toBe(137);
      expect(killed.failure).toMatchObject({
        code: 'CONTAINER_EXITED',
        origin: 'user',
      });
    });
  },
);
