import { sharedCrdRegistry } from '../../gateway/__testUtils__/shared';
import { httpRouteInput } from '../../gateway/__testUtils__/templateInputs';
import { CLUSTER_EXPECTATIONS } from '../../gateway/managedKinds';
import { buildTemplate } from '../../gateway/templates';
import { ClusterClient } from '../ClusterClient';
import { ClusterInspector } from '../ClusterInspector';
import { ClusterSet } from '../ClusterSet';
import type { CacheChange } from '../ResourceWatcher';
import { ResourceWatcher } from '../ResourceWatcher';
import { KubernetesApiError } from '../KubernetesApiError';
import { KubernetesTestServer } from './KubernetesTestServer';

/*
 * The stand-in API server through the plugin's real client: client-node's
 * KubernetesObjectApi (discovery, CRUD, dry-run, errors) and Watch, wrapped
 * by ClusterApi, ResourceWatcher and ClusterInspector.
 */

jest.setTimeout(20_000);

function httpRoute(name: string, labels: Record<string, string> = {}): any {
  const result = buildTemplate('httproute', { ...httpRouteInput, name });
  if (!result.ok) throw new Error('template failed');
  const route = result.bundle.objects[0];
  return {
    ...route,
    metadata: {
      ...route.metadata,
      labels: { ...route.metadata.labels, ...labels },
    },
  };
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 20));
    }
  }
}

describe('the test server through client-node', () => {
  let crds: unknown[];
  let server: KubernetesTestServer;
  let client: ClusterClient;

  beforeAll(async () => {
    crds = (await sharedCrdRegistry())
      .customResourceDefinitions()
      .map(c => c.crd);
    server = await KubernetesTestServer.start({
      crds,
      namespaces: ['team-a'],
      bookmarkIntervalMs: 100,
    });
    client = new ClusterClient(server.clusterConfig('one'));
  });
  afterAll(() => server.stop());

  it('creates, reads, lists by label selector, replaces and deletes through KubernetesObjectApi', async () => {
    const api = client.api();
    const created = await api.create(httpRoute('cn-crud', { suite: 'cn' }));
    expect(created.metadata).toMatchObject({
      name: 'cn-crud',
      namespace: 'team-a',
      generation: 1,
    });
    expect(typeof created.metadata.creationTimestamp).toBe('string');
    const read = await api.get({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      namespace: 'team-a',
      name: 'cn-crud',
    });
    expect(read?.metadata.uid).toBe(created.metadata.uid);
    const listed = await api.list('gateway.networking.k8s.io/v1', 'HTTPRoute', {
      namespace: 'team-a',
      labelSelector: 'suite in (cn)',
    });
    expect(listed.items.map(i => i.metadata.name)).toEqual(['cn-crud']);
    expect(Number(listed.resourceVersion)).toBeGreaterThan(0);

    const replaced = await api.replace({
      ...created,
      spec: { ...created.spec, hostnames: ['cn.example.com'] },
    });
    expect(replaced.metadata.generation).toBe(2);

    const stale = await api.replace(created).catch(e => e);
    expect(stale).toBeInstanceOf(KubernetesApiError);
    expect(stale).toMatchObject({
      code: 409,
      reason: 'Conflict',
      kind: 'status',
    });
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on httproutes.gateway.networking.k8s.io "cn-crud": the object has been modified; please apply your changes to the latest version and try again',
    );

    await api.delete({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      namespace: 'team-a',
      name: 'cn-crud',
    });
    expect(
      await api.get({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: 'team-a',
        name: 'cn-crud',
      }),
    ).toBeUndefined();
  });

  it('dry-runs a create without storing, and reports 422 causes with field paths', async () => {
    const api = client.api();
    const before = server.resourceVersion;
    const dry = await api.create(httpRoute('cn-dry'), { dryRun: true });
    expect(dry.metadata.name).toBe('cn-dry');
    expect(server.resourceVersion).toBe(before);
    expect(
      server.get(
        'gateway.networking.k8s.io/v1',
        'HTTPRoute',
        'team-a',
        'cn-dry',
      ),
    ).toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      query: { dryRun: 'All' },
    });

    const bad = httpRoute('cn-bad');
    bad.spec.hostnames = ['UPPER.example.com'];
    const error = await api.create(bad).catch(e => e);
    expect(error).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(error.causes).toEqual([
      expect.objectContaining({ field: 'spec.hostnames[0]' }),
    ]);
  });

  it('creates Secrets with stringData and reads them back as data', async () => {
    const api = client.api();
    await api.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cn-secret', namespace: 'team-a' },
      stringData: { apiKey: 'value-1' },
    });
    const secret = await api.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'team-a',
      name: 'cn-secret',
    });
    expect(secret?.data).toEqual({
      apiKey: Buffer.from('value-1').toString('base64'),
    });
  });

  it('says a kind whose CRD is missing is not served', async () => {
    const error = await client
      .api()
      .list('example.com/v1', 'Widget')
      .catch(e => e);
    expect(error).toMatchObject({ code: 404 });
  });

  it('keeps a watch cache true through events, bookmarks, a dropped connection and a re-list after 410 Gone', async () => {
    const changes: CacheChange[] = [];
    const watcher = new ResourceWatcher({
      api: () => client.api(),
      resource: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        plural: 'httproutes',
      },
      labelSelector: 'suite=watch',
      indexLabel: 'runner.backstage.io/entity',
      onChange: change => changes.push(change),
      backoff: { initialMs: 20, maxMs: 200 },
    });
    const api = client.api();
    await api.create(httpRoute('w-before', { suite: 'watch' }));
    watcher.start();
    expect(await watcher.waitForSync(5000)).toBe(true);
    expect(watcher.cache.get('team-a', 'w-before')).toBeDefined();
    expect(changes.map(c => `${c.type} ${c.object.metadata.name}`)).toEqual([
      'ADDED w-before',
    ]);

    const second = await api.create(httpRoute('w-during', { suite: 'watch' }));
    await eventually(() =>
      expect(watcher.cache.get('team-a', 'w-during')).toBeDefined(),
    );
    // Indexed by the entity label of the template.
    expect(
      watcher.cache
        .byIndex(second.metadata.labels['runner.backstage.io/entity'])
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(['w-before', 'w-during']);

    // The connection drops: the watch resumes from its last version, missing nothing.
    server.dropWatches();
    await api.delete({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      namespace: 'team-a',
      name: 'w-before',
    });
    await eventually(() =>
      expect(watcher.cache.get('team-a', 'w-before')).toBeUndefined(),
    );
    expect(watcher.listCount).toBe(1);

    expect(changes.map(c => `${c.type} ${c.object.metadata.name}`)).toEqual([
      'ADDED w-before',
      'ADDED w-during',
      'DELETED w-before',
    ]);

    await watcher.close();
    expect(watcher.state).toBe('closed');
    await eventually(() => expect(server.openWatches).toBe(0));
  });

  it('re-lists after a 410 ERROR event and reconnects after the API server was down', async () => {
    const changes: CacheChange[] = [];
    const watcher = new ResourceWatcher({
      api: () => client.api(),
      resource: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        plural: 'httproutes',
      },
      labelSelector: 'suite=gone',
      onChange: change => changes.push(change),
      backoff: { initialMs: 20, maxMs: 100 },
    });
    watcher.start();
    expect(await watcher.waitForSync(5000)).toBe(true);
    await client.api().create(httpRoute('g-1', { suite: 'gone' }));
    await eventually(() =>
      expect(watcher.cache.get('team-a', 'g-1')).toBeDefined(),
    );
    expect(watcher.listCount).toBe(1);

    // While the API server is down, an object appears and the event window
    // is compacted: the watcher's version is too old when it comes back.
    await server.stop();
    await new Promise(r => setTimeout(r, 100));
    server.seed(httpRoute('g-2', { suite: 'gone' }));
    server.compactHistory();
    await server.restart();
    await eventually(() =>
      expect(watcher.cache.get('team-a', 'g-2')).toBeDefined(),
    );
    expect(watcher.listCount).toBe(2);
    expect(watcher.state).toBe('synced');
    expect(changes.map(c => `${c.type} ${c.object.metadata.name}`)).toEqual([
      'ADDED g-1',
      'ADDED g-2',
    ]);
    await watcher.close();
    await eventually(() => expect(server.openWatches).toBe(0));
  });

  it('resumes the watch without listing again when the API server comes back within the window', async () => {
    const watcher = new ResourceWatcher({
      api: () => client.api(),
      resource: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        plural: 'httproutes',
      },
      labelSelector: 'suite=outage',
      backoff: { initialMs: 20, maxMs: 100 },
    });
    watcher.start();
    expect(await watcher.waitForSync(5000)).toBe(true);
    await server.stop();
    await eventually(() => expect(watcher.state).toBe('error'));
    expect(watcher.lastError).toContain('connection refused');
    server.seed(httpRoute('o-1', { suite: 'outage' }));
    await server.restart();
    await eventually(() =>
      expect(watcher.cache.get('team-a', 'o-1')).toBeDefined(),
    );
    expect(watcher.state).toBe('synced');
    expect(watcher.listCount).toBe(1);
    await watcher.close();
  });

  it('reports each cluster concurrently: one down, one forbidden from reading controllers, one ready', async () => {
    const down = await KubernetesTestServer.start({ crds });
    const downConfig = down.clusterConfig('down', { connectionTimeoutMs: 500 });
    await down.stop();
    const limited = await KubernetesTestServer.start({
      crds: crds.filter((c: any) => c.spec.group !== 'aigateway.envoyproxy.io'),
    });
    limited.forbid({ group: 'apps', plural: 'deployments' });
    limited.forbid({
      group: 'apiextensions.k8s.io',
      plural: 'customresourcedefinitions',
    });
    server.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'envoy-gateway', namespace: 'envoy-gateway-system' },
      status: { conditions: [{ type: 'Available', status: 'True' }] },
    });
    server.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'ai-gateway-controller',
        namespace: 'envoy-ai-gateway-system',
      },
      status: {
        conditions: [
          {
            type: 'Available',
            status: 'False',
            message: 'Deployment does not have minimum availability.',
          },
        ],
      },
    });
    try {
      const clusters = new ClusterSet(
        [
          new ClusterClient(downConfig),
          new ClusterClient(limited.clusterConfig('limited')),
          client,
        ],
        'one',
      );
      const started = Date.now();
      const report = await new ClusterInspector(
        clusters,
        CLUSTER_EXPECTATIONS,
      ).report();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(report.configured).toBe(true);
      const [d, l, o] = report.clusters;
      expect(d).toMatchObject({ name: 'down', reachable: false });
      expect(d.reason).toContain('connection refused');
      expect(l).toMatchObject({
        name: 'limited',
        reachable: true,
        version: 'v1.34.1',
        crdSource: 'discovery',
      });
      expect(l.crds.find(c => c.kind === 'HTTPRoute')).toMatchObject({
        installed: true,
        servedVersions: ['v1', 'v1beta1'],
      });
      expect(l.crds.find(c => c.kind === 'AIGatewayRoute')).toMatchObject({
        installed: false,
      });
      expect(l.controllers[0]).toMatchObject({
        ready: 'unknown',
        reason: expect.stringContaining('not permitted'),
      });
      expect(l.ready).toMatchObject({ providers: false, routes: true });
      expect(o).toMatchObject({
        name: 'one',
        default: true,
        reachable: true,
        crdSource: 'apiextensions',
      });
      expect(o.crds.find(c => c.kind === 'HTTPRoute')).toMatchObject({
        bundleVersion: 'v1.6.1',
        channel: 'experimental',
        storageVersion: 'v1',
      });
      expect(o.crds.every(c => c.installed)).toBe(true);
      expect(o.controllers).toEqual([
        {
          name: 'envoy-gateway',
          namespace: 'envoy-gateway-system',
          ready: 'true',
        },
        expect.objectContaining({
          name: 'ai-gateway-controller',
          ready: 'false',
          reason: expect.stringContaining('minimum availability'),
        }),
      ]);
      expect(o.ready).toMatchObject({ providers: false, routes: true });
    } finally {
      await limited.stop();
    }
  });

  it('says plainly when no cluster is configured', async () => {
    const report = await new ClusterInspector(
      new ClusterSet([]),
      CLUSTER_EXPECTATIONS,
    ).report();
    expect(report).toMatchObject({ configured: false, clusters: [] });
    expect(report.message).toContain('No Kubernetes cluster is configured');
  });
});
