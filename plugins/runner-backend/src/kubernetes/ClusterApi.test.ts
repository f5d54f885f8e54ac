import { ClusterClient } from './ClusterClient';
import { KubernetesApiError } from './KubernetesApiError';
import { readObject, writeStatus } from './__testUtils__/adminObjects';
import { httpRoute, routeRef } from './__testUtils__/routes';
import {
  clusterConfigWithToken,
  createTestNamespace,
  describeWithCluster,
  serviceAccountWithRules,
} from './__testUtils__/testCluster';

/*
 * The plugin's client (ClusterApi over client-node) against the real API
 * server, as a service account allowed exactly HTTPRoutes and Secrets in
 * one namespace: what the gateway code relies on — CRUD, label selectors,
 * a real 409 from a stale resourceVersion, dry runs, 422 causes with field
 * paths, Secret stringData, generation and the status subresource.
 */

jest.setTimeout(60_000);

describeWithCluster('ClusterApi against the API server', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let client: ClusterClient;

  beforeAll(async () => {
    ns = await createTestNamespace('clusterapi');
    const sa = await serviceAccountWithRules({
      namespace: ns.name,
      rules: [
        {
          apiGroups: ['gateway.networking.k8s.io'],
          resources: ['httproutes'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
        },
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get', 'create', 'delete'],
        },
      ],
    });
    client = new ClusterClient(clusterConfigWithToken(sa.token, 'one'));
  });
  afterAll(() => ns.remove());

  it('creates, reads, lists by label selector, replaces and deletes', async () => {
    const api = client.api();
    const created = await api.create(
      httpRoute(ns.name, 'crud', { suite: 'crud' }),
    );
    expect(created.metadata).toMatchObject({
      name: 'crud',
      namespace: ns.name,
      generation: 1,
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    // The CRD's defaults, applied by the API server.
    expect(created.spec.rules[0].matches[0].path.type).toBe('PathPrefix');
    const read = await api.get(routeRef(ns.name, 'crud'));
    expect(read?.metadata.uid).toBe(created.metadata.uid);
    const listed = await api.list('gateway.networking.k8s.io/v1', 'HTTPRoute', {
      namespace: ns.name,
      labelSelector: 'suite in (crud),suite!=x',
    });
    expect(listed.items.map(i => i.metadata.name)).toEqual(['crud']);
    expect(Number(listed.resourceVersion)).toBeGreaterThan(0);
    const none = await api.list('gateway.networking.k8s.io/v1', 'HTTPRoute', {
      namespace: ns.name,
      labelSelector: 'suite=someone-else',
    });
    expect(none.items).toEqual([]);

    const replaced = await api.replace({
      ...created,
      spec: { ...created.spec, hostnames: ['crud.example.com'] },
    });
    expect(replaced.metadata.generation).toBe(2);

    await api.delete(routeRef(ns.name, 'crud'));
    expect(await api.get(routeRef(ns.name, 'crud'))).toBeUndefined();
  });

  it('answers a replace with a stale resourceVersion with a real 409 Conflict', async () => {
    const api = client.api();
    const created = await api.create(httpRoute(ns.name, 'stale'));
    await api.replace({
      ...created,
      spec: { ...created.spec, hostnames: ['first.example.com'] },
    });
    const stale = await api
      .replace({
        ...created,
        spec: { ...created.spec, hostnames: ['second.example.com'] },
      })
      .catch(e => e);
    expect(stale).toBeInstanceOf(KubernetesApiError);
    expect(stale).toMatchObject({
      code: 409,
      reason: 'Conflict',
      kind: 'status',
    });
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on httproutes.gateway.networking.k8s.io "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
    // Nothing of the stale write landed.
    expect(
      (await readObject(routeRef(ns.name, 'stale'))).spec.hostnames,
    ).toEqual(['first.example.com']);

    const { resourceVersion: _rv, ...withoutVersion } = created.metadata;
    const unconditional = await api
      .replace({ ...created, metadata: withoutVersion })
      .catch(e => e);
    expect(unconditional).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(unconditional.message).toContain(
      'metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
    const again = await api.create(httpRoute(ns.name, 'stale')).catch(e => e);
    expect(again).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    expect(again.message).toBe(
      'httproutes.gateway.networking.k8s.io "stale" already exists',
    );
  });

  it('dry-runs a create without storing it, and reports 422 causes with field paths', async () => {
    const api = client.api();
    const dry = await api.create(httpRoute(ns.name, 'dry'), { dryRun: true });
    expect(dry.metadata.name).toBe('dry');
    expect(await readObject(routeRef(ns.name, 'dry'))).toBeUndefined();

    const bad = httpRoute(ns.name, 'bad');
    bad.spec.hostnames = ['UPPER.example.com'];
    bad.spec.rules[0].backendRefs[0].port = 70000;
    bad.spec.rules[0].timeouts = { request: '1s', backendRequest: '5s' };
    const error = await api.create(bad).catch(e => e);
    expect(error).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(error.message).toMatch(
      /^HTTPRoute\.gateway\.networking\.k8s\.io "bad" is invalid: \[/,
    );
    expect(error.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'spec.hostnames[0]' }),
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
    expect(await readObject(routeRef(ns.name, 'bad'))).toBeUndefined();
  });

  it('folds Secret stringData into base64 data', async () => {
    const api = client.api();
    const created = await api.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: ns.name },
      stringData: { apiKey: 'value-1' },
    });
    expect(created.stringData).toBeUndefined();
    const secret = await api.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: ns.name,
      name: 'creds',
    });
    expect(secret).toMatchObject({
      type: 'Opaque',
      data: { apiKey: Buffer.from('value-1').toString('base64') },
    });
    expect(secret?.metadata.generation).toBeUndefined();
  });

  it('keeps status behind the status subresource and bumps generation on spec changes only', async () => {
    const api = client.api();
    const created = await api.create({
      ...httpRoute(ns.name, 'status'),
      status: { parents: [] },
    });
    // A create drops status: only the status subresource writes it.
    expect(created.status).toBeUndefined();
    // Written by the test, as a controller would; validated by the CRD schema.
    await writeStatus(routeRef(ns.name, 'status'), {
      parents: [
        {
          parentRef: { name: 'public' },
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
    });
    const live = (await api.get(routeRef(ns.name, 'status')))!;
    expect(live.metadata.generation).toBe(1);
    const main = await api.replace({ ...live, status: { parents: [] } });
    // The main resource ignores status; a label change is no new generation.
    expect(main.status.parents).toHaveLength(1);
    const relabelled = await api.replace({
      ...main,
      metadata: { ...main.metadata, labels: { extra: 'yes' } },
    });
    expect(relabelled.metadata.generation).toBe(1);
    const invalid = await writeStatus(routeRef(ns.name, 'status'), {
      parents: [{ parentRef: {} }],
    }).catch(e => e);
    expect(invalid).toMatchObject({ code: 422 });
  });

  it('says a kind that is not served is not served, and a forbidden one is Forbidden', async () => {
    const api = client.api();
    const error = await api.list('example.com/v1', 'Widget').catch(e => e);
    expect(error).toMatchObject({ code: 404 });
    const forbidden = await api
      .list('gateway.envoyproxy.io/v1alpha1', 'Backend', { namespace: ns.name })
      .catch(e => e);
    expect(forbidden).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(forbidden.message).toContain(
      `cannot list resource "backends" in API group "gateway.envoyproxy.io" in the namespace "${ns.name}"`,
    );
  });
});
