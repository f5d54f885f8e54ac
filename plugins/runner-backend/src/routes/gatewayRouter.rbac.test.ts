import request from 'supertest';
import {
  gatewayEntity,
  startGatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import {
  docRbac,
  gatewayTestCluster,
  withoutVerb,
  type GatewayTestCluster,
} from '../gateway/__testUtils__/gatewayRbac';
import {
  httpRouteInput,
  openAIInput,
} from '../gateway/__testUtils__/templateInputs';
import { readObject } from '../kubernetes/__testUtils__/adminObjects';
import { eventually } from '../kubernetes/__testUtils__/routes';
import {
  describeWithCluster,
  uniqueName,
} from '../kubernetes/__testUtils__/testCluster';

/*
 * The roles docs/kubernetes-rbac.md gives are enough, and a missing verb is
 * an error a person can act on: the plugin runs as a service account bound
 * to the page's roles (read from it), then to the same roles less one verb.
 * The refusal is the real API server's, passed on as a categorized
 * K8S_FORBIDDEN naming the verb and the resource.
 */

jest.setTimeout(120_000);

const routeBody = {
  name: 'web',
  parentGateway: httpRouteInput.parentGateway,
  hostnames: ['web.example.com'],
  rules: httpRouteInput.rules,
};

describeWithCluster('the gateway as the documented service account', () => {
  const clusters: GatewayTestCluster[] = [];
  afterAll(() => Promise.all(clusters.map(c => c.remove())));

  async function backendWith(rbac = docRbac()) {
    const kube = await gatewayTestCluster('gw-rbac', rbac);
    clusters.push(kube);
    const name = uniqueName('rbac');
    const backend = await startGatewayBackend({
      clusters: [kube.cluster('one')],
      entities: [gatewayEntity(name, kube.namespace)],
    });
    const api = `/api/runner/entities/component/default/${name}/gateway`;
    return { kube, backend, api };
  }

  it('does everything with the documented roles and nothing is refused', async () => {
    const { kube, backend, api } = await backendWith();
    const { server } = backend;
    const created = await request(server).post(`${api}/routes`).send(routeBody);
    expect(created.status).toBe(201);
    const validated = await request(server)
      .post(`${api}/validate`)
      .send({ template: 'httproute', input: routeBody });
    // The schemas came from the cluster's CRDs: listing them is allowed.
    expect(validated.body.layers.schema).toContain('cluster one');
    const updated = await request(server)
      .put(`${api}/routes/web`)
      .send({
        input: { ...routeBody, hostnames: ['other.example.com'] },
        resourceVersions: created.body.bundle.resourceVersions,
      });
    expect(updated.status).toBe(200);
    const clustersReport = await request(server).get(
      '/api/runner/gateway/clusters',
    );
    expect(clustersReport.body.clusters[0]).toMatchObject({
      reachable: true,
      crdSource: 'apiextensions',
    });
    expect((await request(server).delete(`${api}/routes/web`)).status).toBe(
      204,
    );
    expect(
      await readObject({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: kube.namespace,
        name: 'web',
      }),
    ).toBeUndefined();
    // Every watch was allowed: no warning about the cluster at all.
    expect(backend.logLines.filter(l => /forbidden|403/i.test(l))).toEqual([]);
  });

  it('without the delete verb on httproutes, a delete is a categorized Forbidden naming verb and resource, and deletes nothing', async () => {
    const rbac = docRbac();
    const { kube, backend, api } = await backendWith({
      ...rbac,
      write: withoutVerb(rbac.write, 'httproutes', 'delete'),
    });
    const { server } = backend;
    expect(
      (await request(server).post(`${api}/routes`).send(routeBody)).status,
    ).toBe(201);
    const refused = await request(server).delete(`${api}/routes/web`);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({
      category: 'kubernetes',
      code: 'K8S_FORBIDDEN',
      remediation: expect.stringContaining('kubectl auth can-i'),
    });
    expect(refused.body.error.message).toContain(
      `cannot delete resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "${kube.namespace}"`,
    );
    expect(
      await readObject({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: kube.namespace,
        name: 'web',
      }),
    ).toBeDefined();
  });

  it('without the watch verb on secrets, the watch says what it lacks and reads still work', async () => {
    const rbac = docRbac();
    const { backend, api } = await backendWith({
      ...rbac,
      read: withoutVerb(rbac.read, 'secrets', 'watch'),
    });
    await eventually(() =>
      expect(backend.logLines.join('\n')).toContain(
        `cannot watch resource "secrets" in API group ""`,
      ),
    );
    const listed = await request(backend.server).get(`${api}/routes`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });

  it('without reading HTTPRoutes, a provider shows why its generated HTTPRoute is unknown', async () => {
    const rbac = docRbac();
    const { backend, api } = await backendWith({
      read: withoutVerb(
        withoutVerb(rbac.read, 'httproutes', 'watch'),
        'httproutes',
        'get',
      ),
      write: withoutVerb(rbac.write, 'httproutes', 'get'),
    });
    const { namespace: _n, entityRef: _e, ...provider } = openAIInput;
    const created = await request(backend.server)
      .post(`${api}/providers`)
      .send(provider);
    expect(created.status).toBe(201);
    const view = await request(backend.server).get(`${api}/providers/openai`);
    const route = view.body.status.find(
      (s: any) => s.object.kind === 'AIGatewayRoute',
    );
    expect(route.generatedRouteError).toMatchObject({
      category: 'kubernetes',
      code: 'K8S_FORBIDDEN',
    });
    expect(route.generatedRouteError.userMessage).toContain(
      'cannot get resource "httproutes" in API group "gateway.networking.k8s.io"',
    );
  });
});
