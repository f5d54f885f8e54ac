import net from 'node:net';
import type { Knex } from 'knex';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateToLatest } from '../database/migrations';
import type { ContainerState } from '../docker/types';
import { DatabaseInstanceStore } from '../instances/DatabaseInstanceStore';
import { HealthCheckStore } from './HealthCheckStore';
import { HealthProber } from './HealthProber';

/*
 * The verdicts that need no container: engine errors, odd container states,
 * and the start period of HTTP probes (against a port nothing listens on).
 * Real containers: containers.test.ts.
 */

const databases = createTestDatabases();
const ID = '00000000-0000-4000-8000-000000000001';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('HealthProber verdicts', () => {
  let knex: Knex;
  let store: DatabaseInstanceStore;
  let running: RunnerInstance;
  let port: number;
  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await migrateToLatest(knex);
    store = new DatabaseInstanceStore(knex);
    port = await closedPort();
    await store.create({
      id: ID,
      entityRef: 'component:default/hello-http',
      maxActive: 1,
    });
    await store.transition(ID, ['pending'], 'starting');
    running = (await store.transition(ID, ['starting'], 'running', {
      containerId: 'c1',
      ports: [
        {
          containerPort: 8080,
          protocol: 'tcp',
          hostIp: '127.0.0.1',
          hostPort: port,
        },
      ],
      startedAt: new Date(),
    }))!;
  });

  function prober(
    inspect: () => Promise<ContainerState | undefined>,
    startPeriodMs = 60_000,
  ) {
    return new HealthProber({
      instances: store,
      docker: { inspect },
      checks: new HealthCheckStore(knex, 10),
      healthPathOf: async () => '/healthz',
      timeoutMs: 500,
      startPeriodMs,
    });
  }
  const container = (status: ContainerState['status']): ContainerState => ({
    id: 'c1',
    name: 'c1',
    labels: {},
    status,
    exitCode: status === 'running' ? null : 0,
    oomKilled: false,
    startedAt: new Date().toISOString(),
    ports: [],
  });

  it.each([
    [
      'the engine does not answer',
      async () => {
        throw new Error('connect ECONNREFUSED /run/docker.sock');
      },
      'unknown',
      'ECONNREFUSED',
    ],
    [
      'the container is gone',
      async () => undefined,
      'stopped',
      'no longer exists',
    ],
    [
      'the container is paused',
      async () => container('paused'),
      'unknown',
      'paused',
    ],
    [
      'the container is restarting',
      async () => container('restarting'),
      'starting',
      'restarting',
    ],
    [
      'nothing listens yet, within the start period',
      async () => container('running'),
      'starting',
      'nothing answers',
    ],
  ])('when %s: %s', async (_what, inspect, status, detail) => {
    const health = await prober(inspect).health(running);
    expect(health.status).toBe(status);
    expect(health.detail).toContain(detail);
  });

  it('calls a service that never answers unhealthy after the start period', async () => {
    const health = await prober(async () => container('running'), 0).health(
      running,
    );
    expect(health).toMatchObject({ status: 'unhealthy', source: 'http' });
    expect(health.detail).toContain(`127.0.0.1:${port}`);
  });
});
