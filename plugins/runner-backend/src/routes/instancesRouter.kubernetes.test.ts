import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import {
  clusterConfigWithToken,
  createTestNamespace,
  describeWithCluster,
  serviceAccountWithRules,
  testClusterEnv,
} from '../kubernetes/__testUtils__/testCluster';
import { leftovers } from '../runtimes/kubernetes/__testUtils__/leftovers';
import { runtimeRbac } from '../runtimes/kubernetes/__testUtils__/runtimeRbac';
import { runnerPlugin } from '../plugin';
import { fetchWhenRouted } from '../kubernetes/__testUtils__/fetchWhenRouted';

/*
 * hello-http on Kubernetes through the REST API and the real plugin wiring:
 * built by the real Docker engine, pushed to the cluster's registry, run as
 * a Deployment + Service by the service account of docs/kubernetes-rbac.md,
 * served through the Service's ClusterIP, stopped and removed with nothing
 * left behind.
 */

jest.setTimeout(240_000);

const base = '/api/runner/entities/component/default';

async function waitForState(server: any, id: string, states: string[]) {
  const deadline = Date.now() + 180_000;
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

describeWithCluster('instances API on Kubernetes', () => {
  let server: any;
  let close: () => Promise<void>;
  let namespace: string;

  beforeAll(async () => {
    const ns = await createTestNamespace('rest-k8s');
    namespace = ns.name;
    const rbac = runtimeRbac();
    const sa = await serviceAccountWithRules({
      namespace,
      rules: rbac.namespaced,
      clusterRules: rbac.nodeStats,
    });
    const connection = clusterConfigWithToken(sa.token, 'test');
    const backend = await startTestBackend({
      features: [
        runnerPlugin,
        mockServices.rootConfig.factory({
          data: {
            runner: {
              docker: {
                resourceLimits: { memory: '64m', cpus: '0.2', pids: 64 },
                buildTimeout: '2m',
                imageCleanupPolicy: 'never',
              },
              sources: { allowedLocalRoots: [examplesDir()] },
              kubernetes: {
                clusters: [
                  {
                    name: connection.name,
                    url: connection.url,
                    auth: connection.auth,
                    caData: connection.caData,
                    connectionTimeout: '10s',
                    namespaces: [namespace],
                    registry: {
                      host: testClusterEnv()!.registry ?? '127.0.0.1:5001',
                    },
                  },
                ],
              },
              components: {
                'hello-http': { runtime: 'kubernetes' },
                'exits-early': { runtime: 'kubernetes' },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: exampleEntities() }),
      ],
    });
    server = backend.server;
    close = async () => {
      await backend.stop();
      await sa.remove();
      await ns.remove();
    };
  });
  afterAll(() => close?.());

  it('starts hello-http, serves HTTP 200 through its Service, stops and removes it with nothing left', async () => {
    const started = await request(server).post(`${base}/hello-http/instances`);
    expect(started.status).toBe(202);
    const id = started.body.id;
    const running = await waitForState(server, id, ['running', 'failed']);
    expect(running.failure).toBeUndefined();
    expect(running.state).toBe('running');
    expect(running.containerId).toMatch(
      new RegExp(`^kubernetes:test/${namespace}/deployment/`),
    );
    const endpoint = running.ports[0];
    expect(endpoint.hostIp).toMatch(/^10\.96\./);
    const res = await fetchWhenRouted(
      `http://${endpoint.hostIp}:${endpoint.hostPort}/healthz`,
    );
    expect(res.status).toBe(200);

    // The pod's log through the logs route.
    const logs = await request(server).get(
      `/api/runner/instances/${id}/logs?stream=run`,
    );
    expect(logs.status).toBe(200);
    expect(logs.text).toContain('hello-http: serving /www on :8080');

    const config = await request(server).get(
      `${base}/hello-http/effective-config`,
    );
    expect(config.body.runtime).toMatchObject({
      runtime: 'kubernetes',
      placement: { cluster: 'test', namespace },
    });

    const stopped = await request(server).post(
      `/api/runner/instances/${id}/stop`,
    );
    expect(stopped.status).toBe(200);
    expect((await waitForState(server, id, ['stopped', 'failed'])).state).toBe(
      'stopped',
    );
    expect(await leftovers(namespace, id)).toEqual([]);

    const removed = await request(server).delete(`/api/runner/instances/${id}`);
    expect(removed.status).toBe(204);
    expect(await leftovers(namespace, id)).toEqual([]);
  });

  it("fails an instance whose pods crash-loop with the runtime's categorized error, and removes the workload", async () => {
    const started = await request(server).post(`${base}/exits-early/instances`);
    expect(started.status).toBe(202);
    const id = started.body.id;
    const failed = await waitForState(server, id, ['failed']);
    expect(failed.failure).toMatchObject({
      code: 'K8S_CRASH_LOOP',
      category: 'container',
    });
    expect(failed.failure.userMessage).toContain('exit code 3');
    expect(await leftovers(namespace, id)).toEqual([]);
    const logs = await request(server).get(
      `/api/runner/instances/${id}/logs?stream=run`,
    );
    // The last output of the pods is kept with the instance after removal.
    expect(logs.text).toContain('exits-early: fatal');
  });
});
