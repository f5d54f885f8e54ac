import { CLUSTER_EXPECTATIONS } from '../gateway/managedKinds';
import { ClusterClient } from './ClusterClient';
import { ClusterInspector, type ClusterExpectations } from './ClusterInspector';
import { ClusterSet } from './ClusterSet';
import { createObject } from './__testUtils__/adminObjects';
import { freePort } from './__testUtils__/apiServerProcess';
import { eventually } from './__testUtils__/routes';
import {
  clusterConfigWithToken,
  createTestNamespace,
  describeWithCluster,
  serviceAccountWithRules,
  testClusterEnv,
} from './__testUtils__/testCluster';

/*
 * GET /gateway/clusters' report against the real cluster: one cluster down,
 * one whose identity may neither list CRDs nor read Deployments, one that
 * may. The controllers are real Deployments in this file's namespace, run
 * by the real deployment controller and kubelet: one Available, one whose
 * image cannot be pulled. The CRDs are the cluster's own, plus one that no
 * cluster has, to see a missing CRD reported.
 */

jest.setTimeout(180_000);

function deployment(namespace: string, name: string, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image }],
          terminationGracePeriodSeconds: 0,
        },
      },
    },
  };
}

describeWithCluster('ClusterInspector against the cluster', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let expectations: ClusterExpectations;
  const removals: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    ns = await createTestNamespace('inspector');
    expectations = {
      crds: [
        ...CLUSTER_EXPECTATIONS.crds,
        {
          group: 'example.com',
          kind: 'Widget',
          plural: 'widgets',
          version: 'v1',
          neededFor: ['providers'],
        },
      ],
      controllers: [
        { namespace: ns.name, name: 'envoy-gateway', neededFor: ['routes'] },
        {
          namespace: ns.name,
          name: 'ai-gateway-controller',
          neededFor: ['providers'],
        },
      ],
    };
    const registry = testClusterEnv()?.registry ?? '127.0.0.1:5001';
    await createObject(
      deployment(
        ns.name,
        'envoy-gateway',
        `${registry}/backstage-runner/pause:1`,
      ),
    );
    await createObject(
      deployment(
        ns.name,
        'ai-gateway-controller',
        `${registry}/nothing/here:1`,
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(removals.map(r => r()));
    await ns.remove();
  });

  async function client(name: string, rules: any, clusterRules?: any) {
    const sa = await serviceAccountWithRules({
      namespace: ns.name,
      rules,
      clusterRules,
    });
    removals.push(sa.remove);
    return new ClusterClient(clusterConfigWithToken(sa.token, name));
  }

  it('reports each cluster concurrently: one down, one limited, one ready as far as its controllers are', async () => {
    const down = new ClusterClient({
      ...clusterConfigWithToken('unused', 'down'),
      url: `https://127.0.0.1:${await freePort()}`,
      connectionTimeoutMs: 500,
    });
    const limited = await client('limited', [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
    ]);
    const ready = await client(
      'one',
      [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }],
      [
        {
          apiGroups: ['apiextensions.k8s.io'],
          resources: ['customresourcedefinitions'],
          verbs: ['list'],
        },
      ],
    );
    const inspector = new ClusterInspector(
      new ClusterSet([down, limited, ready], 'one'),
      expectations,
    );
    // The real controllers take a moment: Available on one, not on the other.
    const report = await eventually(async () => {
      const r = await inspector.report();
      expect(r.clusters[2].controllers.map(c => c.ready)).toEqual([
        'true',
        'false',
      ]);
      return r;
    }, 120_000);

    const started = Date.now();
    await inspector.report();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.configured).toBe(true);
    const [d, l, o] = report.clusters;
    expect(d).toMatchObject({ name: 'down', reachable: false });
    expect(d.reason).toContain('connection refused');

    expect(l).toMatchObject({
      name: 'limited',
      reachable: true,
      version: 'v1.35.4',
      crdSource: 'discovery',
    });
    expect(l.crds.find(c => c.kind === 'HTTPRoute')).toMatchObject({
      installed: true,
      servedVersions: expect.arrayContaining(['v1', 'v1beta1']),
    });
    expect(l.crds.find(c => c.kind === 'Widget')).toMatchObject({
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
    expect(o.crds.filter(c => !c.installed).map(c => c.kind)).toEqual([
      'Widget',
    ]);
    expect(o.controllers).toEqual([
      { name: 'envoy-gateway', namespace: ns.name, ready: 'true' },
      expect.objectContaining({
        name: 'ai-gateway-controller',
        ready: 'false',
        reason: expect.stringContaining('minimum availability'),
      }),
    ]);
    expect(o.ready).toMatchObject({ providers: false, routes: true });
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
