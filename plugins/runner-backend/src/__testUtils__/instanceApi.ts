import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { Server } from 'node:http';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from './exampleEntities';

/*
 * The runner backend as its REST clients see it, for tests on the real
 * Docker engine: the plugin, SQLite, the examples in the mock catalog, and
 * helpers that wait on conditions rather than sleeping.
 */

/** Starts the runner plugin with the examples (plus `extraEntities`) in the catalog. */
export async function startRunnerBackend(
  options: { runner?: Record<string, unknown>; extraEntities?: Entity[] } = {},
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      runnerPlugin,
      mockServices.rootConfig.factory({
        data: {
          runner: {
            sources: { allowedLocalRoots: [examplesDir()] },
            ...options.runner,
            docker: {
              resourceLimits: { memory: '64m', cpus: '0.5', pids: 64 },
              imageCleanupPolicy: 'never',
              ...(options.runner?.docker as object | undefined),
            },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [...exampleEntities(), ...(options.extraEntities ?? [])],
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  return server;
}

/** Polls until `probe` returns something, or throws what `describe` says. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  describe: () => Promise<string> | string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

/** The instance once it is in one of `states`; the error shows its history. */
export async function waitForState(
  server: Server,
  id: string,
  states: string[],
  timeoutMs = 120_000,
): Promise<any> {
  return eventually(
    async () => {
      const res = await request(server).get(`/api/runner/instances/${id}`);
      return states.includes(res.body.state) ? res.body : undefined;
    },
    async () => {
      const events = await request(server).get(
        `/api/runner/instances/${id}/events`,
      );
      return `instance ${id} not ${states}: ${JSON.stringify(
        events.body.items,
      )}`;
    },
    timeoutMs,
  );
}

/** POST …/instances for a component in the default namespace. */
export function startInstance(server: Server, name: string) {
  return request(server).post(
    `/api/runner/entities/component/default/${name}/instances`,
  );
}
