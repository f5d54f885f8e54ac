import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { runnerPlugin } from '../plugin';
import {
  exampleEntities,
  examplesDir,
  repoRoot,
} from '../__testUtils__/exampleEntities';

/*
 * Restarts the real Docker engine while an instance runs. It runs alone, in
 * its own step of scripts/test.sh (RUNNER_DAEMON_RESTART_TEST=1), because
 * every other test on the machine loses its engine meanwhile; it needs the
 * engine that scripts/lib/dockerd.sh started.
 */

jest.setTimeout(240_000);
const run = promisify(execFile);
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
  timeoutMs = 90_000,
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

async function restartEngine() {
  const script = path.join(repoRoot(), 'scripts', 'lib', 'dockerd.sh');
  await run(
    'bash',
    ['-c', `source "${script}" && stop_dockerd && start_dockerd`],
    {
      env: process.env,
      timeout: 120_000,
    },
  );
}

(enabled ? describe : describe.skip)('a Docker daemon restart', () => {
  it('is reconciled: the stopped container is noticed, events and starts work again', async () => {
    const docker = new Docker();
    const backend = await startTestBackend({
      features: [
        runnerPlugin,
        mockServices.rootConfig.factory({
          data: {
            runner: {
              docker: {
                resourceLimits: { memory: '64m', pids: 64 },
                imageCleanupPolicy: 'never',
              },
              sources: { allowedLocalRoots: [examplesDir()] },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [entity(`before-${runId}`), entity(`after-${runId}`)],
        }),
      ],
    });
    const server = backend.server;
    try {
      const first = await request(server).post(
        `/api/runner/entities/component/default/before-${runId}/instances`,
      );
      const running = await waitForState(server, first.body.id, ['running']);

      await restartEngine();

      // The engine stopped the container on its way down; after the events
      // stream reconnects, the reconciler records that.
      const after = await waitForState(server, first.body.id, [
        'stopped',
        'failed',
      ]);
      expect(after.exitCode).not.toBeUndefined();
      const inspect = await docker
        .getContainer(running.containerId)
        .inspect()
        .catch(() => undefined);
      expect(inspect?.State.Running ?? false).toBe(false);

      // The events stream is back: a container killed from outside is noticed.
      const second = await request(server).post(
        `/api/runner/entities/component/default/after-${runId}/instances`,
      );
      const again = await waitForState(server, second.body.id, ['running']);
      await docker.getContainer(again.containerId).kill();
      const killed = await waitForState(
        server,
        second.body.id,
        ['failed'],
        30_000,
      );
      expect(killed.exitCode).toBe(137);
    } finally {
      await backend.stop();
      for (const c of await docker.listContainers({
        all: true,
        filters: { label: ['runner.backstage.io/managed=true'] },
      })) {
        if (
          (c.Labels['runner.backstage.io/entity-ref'] ?? '').includes(runId)
        ) {
          await docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined);
        }
      }
    }
  });
});
