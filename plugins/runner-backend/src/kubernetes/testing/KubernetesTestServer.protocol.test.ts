import type { KubernetesTestServer } from './KubernetesTestServer';
import {
  ROUTES,
  httpRoute,
  startProtocolServer,
  type Call,
} from './__testUtils__/protocolClient';

/*
 * The stand-in API server at the wire level: raw HTTP requests, checked
 * against what a real API server answers (status codes, Status reasons and
 * message formats, watch framing).
 */

describe('KubernetesTestServer protocol', () => {
  let server: KubernetesTestServer;
  let call: Call;

  beforeAll(async () => {
    ({ server, call } = await startProtocolServer());
  });
  afterAll(() => server.stop());

  it('serves discovery for core, built-in and CRD groups', async () => {
    expect((await call('GET', '/version')).body.gitVersion).toBe('v1.34.1');
    expect((await call('GET', '/api')).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const core = (await call('GET', '/api/v1')).body;
    expect(core.resources.map((r: any) => r.name)).toEqual(
      expect.arrayContaining(['secrets', 'namespaces']),
    );
    const groups = (await call('GET', '/apis')).body;
    const names = groups.groups.map((g: any) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'apps',
        'apiextensions.k8s.io',
        'gateway.networking.k8s.io',
        'gateway.envoyproxy.io',
        'aigateway.envoyproxy.io',
      ]),
    );
    const gw = groups.groups.find(
      (g: any) => g.name === 'gateway.networking.k8s.io',
    );
    expect(gw.preferredVersion.version).toBe('v1');
    const v1 = (await call('GET', '/apis/gateway.networking.k8s.io/v1')).body;
    expect(v1.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'httproutes',
          kind: 'HTTPRoute',
          namespaced: true,
        }),
        expect.objectContaining({
          name: 'httproutes/status',
          verbs: ['get', 'patch', 'update'],
        }),
      ]),
    );
    expect((await call('GET', '/apis/nothing.example.com/v1')).status).toBe(
      404,
    );
  });

  it('refuses a wrong bearer token with 401', async () => {
    const res = await call('GET', '/api/v1/namespaces', undefined, {
      authorization: 'Bearer wrong',
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('creates, reads, lists by label, replaces with concurrency, and deletes', async () => {
    const created = await call('POST', ROUTES, httpRoute('crud'));
    expect(created.status).toBe(201);
    const meta = created.body.metadata;
    expect(meta).toMatchObject({
      name: 'crud',
      namespace: 'team-a',
      generation: 1,
    });
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Defaulting from the CRD schema, as the API server does.
    expect(created.body.spec.rules[1].matches[0].path.type).toBe('PathPrefix');

    const again = await call('POST', ROUTES, httpRoute('crud'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'httproutes.gateway.networking.k8s.io "crud" already exists',
    });

    const selector = encodeURIComponent(
      'runner.backstage.io/managed-by in (backstage-runner,other),runner.backstage.io/bundle!=x',
    );
    const listed = await call('GET', `${ROUTES}?labelSelector=${selector}`);
    expect(listed.body.kind).toBe('HTTPRouteList');
    expect(listed.body.items.map((i: any) => i.metadata.name)).toContain(
      'crud',
    );
    expect(Number(listed.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(meta.resourceVersion),
    );
    const none = await call(
      'GET',
      `${ROUTES}?labelSelector=${encodeURIComponent(
        'runner.backstage.io/managed-by=someone-else',
      )}`,
    );
    expect(none.body.items).toEqual([]);

    const changed = {
      ...created.body,
      spec: { ...created.body.spec, hostnames: ['other.example.com'] },
    };
    const replaced = await call('PUT', `${ROUTES}/crud`, changed);
    expect(replaced.status).toBe(200);
    expect(replaced.body.metadata.generation).toBe(2);
    expect(Number(replaced.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(meta.resourceVersion),
    );
    expect(replaced.body.metadata.uid).toBe(meta.uid);

    const stale = await call('PUT', `${ROUTES}/crud`, changed);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on httproutes.gateway.networking.k8s.io "crud": the object has been modified; please apply your changes to the latest version and try again',
    });
    const { resourceVersion: _rv, ...withoutRv } = changed.metadata;
    const unconditional = await call('PUT', `${ROUTES}/crud`, {
      ...changed,
      metadata: withoutRv,
    });
    expect(unconditional.status).toBe(422);
    expect(unconditional.body.message).toContain(
      'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );

    const deleted = await call('DELETE', `${ROUTES}/crud`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.name).toBe('crud');
    const gone = await call('GET', `${ROUTES}/crud`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      reason: 'NotFound',
      message: 'httproutes.gateway.networking.k8s.io "crud" not found',
    });
  });

  it('validates against the CRD schema and CEL rules with a 422 Invalid Status, storing nothing', async () => {
    const route = httpRoute('invalid');
    route.spec.rules[0].backendRefs[0].port = 70000;
    route.spec.rules[0].timeouts = { request: '1s', backendRequest: '5s' };
    const before = server.resourceVersion;
    const res = await call('POST', ROUTES, route);
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toMatch(
      /^HTTPRoute\.gateway\.networking\.k8s\.io "invalid" is invalid: \[/,
    );
    expect(res.body.details.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'spec.rules[0].backendRefs[0].port',
          reason: 'FieldValueInvalid',
        }),
        expect.objectContaining({
          field: 'spec.rules[0].timeouts',
          message: expect.stringContaining(
            'backendRequest timeout cannot be longer than request timeout',
          ),
        }),
      ]),
    );
    expect(server.resourceVersion).toBe(before);
    expect((await call('GET', `${ROUTES}/invalid`)).status).toBe(404);
  });

  it('answers dryRun=All with the object and stores nothing', async () => {
    const before = server.resourceVersion;
    const res = await call('POST', `${ROUTES}?dryRun=All`, httpRoute('dry'));
    expect(res.status).toBe(201);
    expect(res.body.metadata).toMatchObject({ name: 'dry', generation: 1 });
    expect(server.resourceVersion).toBe(before);
    expect((await call('GET', `${ROUTES}/dry`)).status).toBe(404);
    expect(
      (await call('POST', `${ROUTES}?dryRun=Some`, httpRoute('dry'))).status,
    ).toBe(400);
  });

  it('refuses objects in a namespace that does not exist, and mismatched namespaces', async () => {
    const route = {
      ...httpRoute('elsewhere'),
      metadata: {
        ...httpRoute().metadata,
        name: 'elsewhere',
        namespace: 'nowhere',
      },
    };
    const res = await call(
      'POST',
      '/apis/gateway.networking.k8s.io/v1/namespaces/nowhere/httproutes',
      route,
    );
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "nowhere" not found');
    const mismatch = await call('POST', ROUTES, route);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toContain(
      'does not match the namespace sent on the request',
    );
  });

  it('folds Secret stringData into base64 data and lists built-ins without kind', async () => {
    const res = await call('POST', '/api/v1/namespaces/team-a/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', labels: { app: 'x' } },
      stringData: { apiKey: 'sk-value' },
    });
    expect(res.status).toBe(201);
    expect(res.body.stringData).toBeUndefined();
    expect(res.body.data).toEqual({
      apiKey: Buffer.from('sk-value').toString('base64'),
    });
    expect(res.body.type).toBe('Opaque');
    expect(res.body.metadata.generation).toBeUndefined();
    const list = await call(
      'GET',
      '/api/v1/namespaces/team-a/secrets?labelSelector=app%3Dx',
    );
    expect(list.body.kind).toBe('SecretList');
    expect(list.body.items[0].kind).toBeUndefined();
    const removed = await call(
      'DELETE',
      '/api/v1/namespaces/team-a/secrets/creds',
    );
    expect(removed.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'creds', kind: 'secrets' },
    });
  });

  it('keeps status behind the status subresource and generation on spec changes only', async () => {
    const created = (
      await call('POST', ROUTES, {
        ...httpRoute('accepted'),
        status: { parents: [] },
      })
    ).body;
    expect(created.status).toBeUndefined();
    const status = {
      parents: [
        {
          parentRef: { name: 'public', namespace: 'envoy-gateway-system' },
          controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
          conditions: [
            {
              type: 'Accepted',
              status: 'True',
              reason: 'Accepted',
              message: 'Route is accepted',
              lastTransitionTime: '2026-01-01T00:00:00Z',
              observedGeneration: 1,
            },
          ],
        },
      ],
    };
    const viaApi = await call('PUT', `${ROUTES}/accepted/status`, {
      ...created,
      status,
    });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.status.parents[0].conditions[0].type).toBe('Accepted');
    expect(viaApi.body.metadata.generation).toBe(1);
    // The main resource ignores status.
    const main = await call('PUT', `${ROUTES}/accepted`, {
      ...viaApi.body,
      status: { parents: [] },
    });
    expect(main.body.status.parents).toHaveLength(1);
    const invalidStatus = await call('PUT', `${ROUTES}/accepted/status`, {
      ...main.body,
      status: { parents: [{ parentRef: {} }] },
    });
    expect(invalidStatus.status).toBe(422);
  });

  it('applies JSON merge patches with resourceVersion preconditions, and refuses other patch types', async () => {
    const created = (await call('POST', ROUTES, httpRoute('patched'))).body;
    const patched = await call(
      'PATCH',
      `${ROUTES}/patched`,
      { metadata: { labels: { extra: 'yes' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.metadata.labels.extra).toBe('yes');
    expect(patched.body.metadata.generation).toBe(1);
    const stale = await call(
      'PATCH',
      `${ROUTES}/patched`,
      {
        metadata: {
          resourceVersion: created.metadata.resourceVersion,
          labels: { extra: 'no' },
        },
      },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(stale.status).toBe(409);
    const strategic = await call(
      'PATCH',
      `${ROUTES}/patched`,
      {},
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(strategic.status).toBe(415);
  });

  it('answers 403 for forbidden resources and 405 for writes to CRDs', async () => {
    server.forbid({ group: 'apps', plural: 'deployments', verbs: ['get'] });
    const res = await call(
      'GET',
      '/apis/apps/v1/namespaces/envoy-gateway-system/deployments/envoy-gateway',
    );
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'deployments.apps "envoy-gateway" is forbidden: User "system:serviceaccount:backstage:runner" cannot get resource "deployments" in API group "apps" in the namespace "envoy-gateway-system"',
    );
    const crds = await call(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    );
    expect(crds.body.items.map((c: any) => c.metadata.name)).toContain(
      'aigatewayroutes.aigateway.envoyproxy.io',
    );
    expect(
      (
        await call(
          'DELETE',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/aigatewayroutes.aigateway.envoyproxy.io',
        )
      ).status,
    ).toBe(405);
  });
});
