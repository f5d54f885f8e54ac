import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { acceptBundle } from '../gateway/__testUtils__/controllerStatus';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import {
  gatewayTestCluster,
  type GatewayTestCluster,
} from '../gateway/__testUtils__/gatewayRbac';
import {
  httpRouteInput,
  openAIInput,
} from '../gateway/__testUtils__/templateInputs';
import {
  createObject,
  listObjects,
  readObject,
} from '../kubernetes/__testUtils__/adminObjects';
import { freePort } from '../kubernetes/__testUtils__/apiServerProcess';
import {
  describeWithCluster,
  uniqueName,
} from '../kubernetes/__testUtils__/testCluster';

/*
 * The gateway REST API when things are not as they should be (without a
 * cluster: gatewayRouter.noCluster.test.ts): bad YAML and bad objects (4xx with paths,
 * nothing changed), a denying permission policy, an unauthenticated caller,
 * one cluster down while another works, objects the entity does not own,
 * and a controller that does not accept what was applied (status written
 * by the test, as the controller would). The cluster is the real API server,
 * reached as a service account with the RBAC of docs/kubernetes-rbac.md;
 * the one that is down is a port where nothing listens.
 */

jest.setTimeout(120_000);

const HELLO_NAME = uniqueName('hello-http');
const HELLO_REF = `component:default/${HELLO_NAME}`;
const HELLO = `/api/runner/entities/component/default/${HELLO_NAME}/gateway`;
const routeBody = {
  name: 'web',
  parentGateway: httpRouteInput.parentGateway,
  hostnames: ['web.example.com'],
  rules: httpRouteInput.rules,
};
const providerBody = {
  ...openAIInput,
  namespace: undefined,
  entityRef: undefined,
};

describeWithCluster('with clusters', () => {
  let kube: GatewayTestCluster;
  let backend: GatewayBackend;
  const route = (name: string) =>
    readObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      namespace: kube.namespace,
      name,
    });
  /** Every managed object of the namespace with its resourceVersion: "nothing changed" is this staying equal. */
  const snapshot = async () =>
    (
      await Promise.all(
        [
          ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
          ['aigateway.envoyproxy.io/v1beta1', 'AIGatewayRoute'],
          ['v1', 'Secret'],
        ].map(([apiVersion, kind]) =>
          listObjects(apiVersion, kind, kube.namespace),
        ),
      )
    )
      .flat()
      .map(o => `${o.metadata.name}@${o.metadata.resourceVersion}`)
      .sort();

  beforeAll(async () => {
    kube = await gatewayTestCluster('gw-errors');
    const downConfig = kube.cluster('down', {
      url: `https://127.0.0.1:${await freePort()}`,
      connectionTimeoutMs: 500,
    });
    backend = await startGatewayBackend({
      clusters: [kube.cluster('one'), downConfig],
      entities: [
        gatewayEntity(HELLO_NAME, kube.namespace),
        gatewayEntity('on-down', kube.namespace, {
          'runner.backstage.io/kubernetes-cluster': 'down',
        }),
        gatewayEntity('on-unknown', kube.namespace, {
          'runner.backstage.io/kubernetes-cluster': 'elsewhere',
        }),
        gatewayEntity('unbound', kube.namespace, {
          'runner.backstage.io/gateway-namespace': '',
        }),
      ],
    });
  });
  afterAll(() => kube.remove());

  it('reports the cluster that is down without blanking the one that works, which keeps serving', async () => {
    const { server } = backend;
    const clusters = await request(server).get('/api/runner/gateway/clusters');
    expect(
      clusters.body.clusters.map((c: any) => [c.name, c.reachable]),
    ).toEqual([
      ['one', true],
      ['down', false],
    ]);
    expect(clusters.body.clusters[1].reason).toContain('connection refused');

    const created = await request(server)
      .post(`${HELLO}/routes`)
      .send(routeBody);
    expect(created.status).toBe(201);
    const onDown = await request(server).get(
      '/api/runner/entities/component/default/on-down/gateway/routes',
    );
    expect(onDown.status).toBe(503);
    expect(onDown.body.error.message).toContain(
      "Kubernetes cluster 'down' is unavailable",
    );
    const createOnDown = await request(server)
      .post('/api/runner/entities/component/default/on-down/gateway/routes')
      .send(routeBody);
    expect(createOnDown.status).toBe(503);
    const validateOnDown = await request(server)
      .post('/api/runner/entities/component/default/on-down/gateway/validate')
      .send({ template: 'httproute', input: routeBody });
    expect(validateOnDown.body).toMatchObject({ valid: true });
    expect(validateOnDown.body.layers.dryRun).toContain(
      'skipped: cluster down is unavailable',
    );
    await request(server).delete(`${HELLO}/routes/web`);
  });

  it('answers bad entity bindings with 400s that name the annotation', async () => {
    const { server } = backend;
    const unknown = await request(server).get(
      '/api/runner/entities/component/default/on-unknown/gateway/routes',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("names cluster 'elsewhere'");
    const unbound = await request(server).get(
      '/api/runner/entities/component/default/unbound/gateway/routes',
    );
    expect(unbound.status).toBe(400);
    expect(unbound.body.error.message).toContain(
      'runner.backstage.io/gateway-namespace',
    );
    expect(
      (
        await request(server).get(
          '/api/runner/entities/component/default/missing/gateway/routes',
        )
      ).status,
    ).toBe(404);
  });

  it('refuses bad YAML and bad objects with 4xx and paths, changing nothing', async () => {
    const { server } = backend;
    const before = await snapshot();
    const cases: Array<[string, number, Record<string, unknown>, string?]> = [
      [
        'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n---\nkind: HTTPRoute\nkind: Secret\n',
        400,
        {
          source: 'yaml',
          document: 1,
          line: 6,
          message: expect.stringContaining('Map keys must be unique'),
        },
      ],
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
        400,
        { path: 'kind' },
      ],
      [
        'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\nmetadata: {name: x}\n',
        400,
        { path: 'apiVersion' },
      ],
      [
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x, namespace: other}\n',
        400,
        { path: 'metadata.namespace' },
      ],
      [
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x}\nspec: {}\n',
        400,
        { path: 'metadata.labels[runner.backstage.io/bundle]' },
        '',
      ],
      [
        '---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x}\nspec:\n  hostnames: ["UPPER.example.com"]\n  parentRefs: [{name: gw}]\n',
        422,
        { path: 'spec.hostnames[0]' },
      ],
    ];
    for (const [yaml, status, finding, query = '?bundle=x'] of cases) {
      const res = await request(server)
        .post(`${HELLO}/import${query}`)
        .set('content-type', 'application/yaml')
        .send(yaml);
      expect(res.status).toBe(status);
      expect(res.body.error.findings).toEqual(
        expect.arrayContaining([expect.objectContaining(finding)]),
      );
    }
    const badInput = await request(server)
      .post(`${HELLO}/providers`)
      .send({ ...providerBody, hostnames: ['not a host'], models: [] });
    expect(badInput.status).toBe(422);
    expect(badInput.body.error.findings.map((f: any) => f.path)).toEqual(
      expect.arrayContaining(['hostnames[0]', 'models']),
    );
    const badBody = await request(server)
      .post(`${HELLO}/validate`)
      .send({ template: 'nope', input: {} });
    expect(badBody.status).toBe(400);
    const badName = await request(server).get(`${HELLO}/routes/Not_A_Name`);
    expect(badName.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('never lists, changes or deletes an object it does not own, and refuses to take its name', async () => {
    const { server } = backend;
    const foreign = await createObject({
      ...routeObject('web'),
      metadata: {
        name: 'web',
        namespace: kube.namespace,
        labels: { app: 'someone-else' },
      },
    });
    // A label copied onto an object does not make it the entity's: the annotation must match too.
    const created = await request(server)
      .post(`${HELLO}/routes`)
      .send({ ...routeBody, name: 'copied' });
    const copied = created.body.bundle.objects[0];
    await createObject({
      ...routeObject('forged'),
      metadata: {
        name: 'forged',
        namespace: kube.namespace,
        labels: copied.metadata.labels,
        annotations: {
          'runner.backstage.io/entity-ref': 'component:default/other',
        },
      },
    });
    const taken = await request(server).post(`${HELLO}/routes`).send(routeBody);
    expect(taken.status).toBe(422);
    expect(taken.body.error.findings[0].message).toContain(
      `is not managed by ${HELLO_REF}`,
    );
    const list = await request(server).get(`${HELLO}/routes`);
    expect(list.body.items.map((i: any) => i.name)).toEqual(['copied']);
    expect(
      (await request(server).delete(`${HELLO}/routes/forged`)).status,
    ).toBe(404);
    expect((await route('web')).metadata.resourceVersion).toBe(
      foreign.metadata.resourceVersion,
    );
    expect(await route('forged')).toBeDefined();
    await request(server).delete(`${HELLO}/routes/copied`);
  });

  it('summarizes a route the controller does not accept, for alerts', async () => {
    const { server } = backend;
    const created = await request(server)
      .post(`${HELLO}/routes`)
      .send({ ...routeBody, name: 'rejected' });
    await acceptBundle(created.body.bundle.objects, false);
    const deadline = Date.now() + 10_000;
    let last;
    do {
      await new Promise(r => setTimeout(r, 50));
      last = backend.changes
        .filter(c => c.entityRef === HELLO_REF)
        .at(-1)?.summary;
    } while (last?.accepted !== 'False' && Date.now() < deadline);
    expect(last).toMatchObject({
      accepted: 'False',
      notAccepted: [{ kind: 'HTTPRoute', name: 'rejected' }],
    });
    const view = await request(server).get(`${HELLO}/routes/rejected`);
    expect(view.body.status[0].reason).toContain('Invalid');
    await request(server).delete(`${HELLO}/routes/rejected`);
  });

  it('refuses every entity route when the policy denies, naming the permission, and unauthenticated callers', async () => {
    const denied = await startGatewayBackend({
      clusters: [kube.cluster('one')],
      entities: [gatewayEntity(HELLO_NAME, kube.namespace)],
      permission: AuthorizeResult.DENY,
    });
    const proposal = { template: 'httproute', input: routeBody };
    const update = { input: routeBody, resourceVersions: {} };
    const checks: Array<[string, string, string, unknown]> = [
      ['get', '/routes', 'runner.gateway.read', undefined],
      ['get', '/providers/x', 'runner.gateway.read', undefined],
      ['post', '/routes', 'runner.gateway.create', routeBody],
      ['put', '/routes/web', 'runner.gateway.update', update],
      ['delete', '/routes/web', 'runner.gateway.delete', undefined],
      ['post', '/validate', 'runner.gateway.read', proposal],
      ['post', '/diff', 'runner.gateway.read', proposal],
      ['get', '/export', 'runner.gateway.read', undefined],
      ['post', '/import', 'runner.gateway.create', { yaml: 'kind: x' }],
      ['get', '/revisions', 'runner.gateway.read', undefined],
      [
        'post',
        '/rollback',
        'runner.gateway.update',
        { type: 'route', name: 'web' },
      ],
    ];
    for (const [method, path, permission, body] of checks) {
      const res = await (request(denied.server) as any)
        [method](`${HELLO}${path}`)
        .send(body);
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.body.error.message).toContain(permission);
    }
    expect(
      denied.audits.filter(a => a.outcome === 'fail').length,
    ).toBeGreaterThanOrEqual(checks.length);
    const anonymous = await request(denied.server)
      .get('/api/runner/gateway/clusters')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});

function routeObject(name: string) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{}] },
  };
}
