import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { readComponentOverrides } from './componentOverrides';
import {
  KUBERNETES_NAMESPACE_ANNOTATION,
  chooseRuntime,
  readRuntimeSettings,
} from './runtimeChoice';

const cluster = {
  name: 'test',
  url: 'https://127.0.0.1:6443',
  auth: { token: 't' },
  namespaces: ['apps', 'team-a'],
  registry: { host: '127.0.0.1:5001' },
};

function settings(runner: object) {
  return readRuntimeSettings(new ConfigReader({ runner }));
}

function entity(name: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
  } as Entity;
}

describe('runtime choice', () => {
  it('is docker by default, and says so', () => {
    const choice = chooseRuntime(entity('hello-http'), settings({}));
    expect(choice).toEqual({
      runtime: 'docker',
      replicas: 1,
      reason: "runner.runtime is 'docker' (the default)",
    });
  });

  it('takes the component entry over runner.runtime, the ref over the name', () => {
    const s = settings({
      runtime: 'docker',
      kubernetes: { clusters: [cluster] },
      components: {
        'hello-http': { runtime: 'kubernetes', replicas: 2 },
        'component:default/hello-http': { namespace: 'team-a' },
      },
    });
    expect(chooseRuntime(entity('hello-http'), s)).toEqual({
      runtime: 'kubernetes',
      placement: { cluster: 'test', namespace: 'team-a' },
      replicas: 2,
      reason:
        "runner.components.hello-http.runtime is 'kubernetes'; cluster 'test', namespace 'team-a' (runner.components.component:default/hello-http.namespace)",
    });
    expect(chooseRuntime(entity('other'), s).runtime).toBe('docker');
  });

  it("uses the namespace annotation, else the cluster's first namespace", () => {
    const s = settings({
      runtime: 'kubernetes',
      kubernetes: { clusters: [cluster] },
    });
    expect(chooseRuntime(entity('a'), s).placement).toEqual({
      cluster: 'test',
      namespace: 'apps',
    });
    const annotated = entity('a', {
      [KUBERNETES_NAMESPACE_ANNOTATION]: 'team-a',
    });
    expect(chooseRuntime(annotated, s).placement?.namespace).toBe('team-a');
    expect(() =>
      chooseRuntime(
        entity('a', { [KUBERNETES_NAMESPACE_ANNOTATION]: 'kube-system' }),
        s,
      ),
    ).toThrow(
      `Invalid annotation '${KUBERNETES_NAMESPACE_ANNOTATION}': namespace 'kube-system' is not allowed on cluster 'test'; use one of apps, team-a`,
    );
  });

  it.each([
    [
      { runtime: 'podman' },
      "'runner.runtime': 'podman'; use docker or kubernetes",
    ],
    [
      { components: { x: { runtime: 'k8s' } } },
      "'runner.components.x.runtime': 'k8s'",
    ],
    [
      { components: { x: { runtime: 'kubernetes' } } },
      "'runner.components.x.runtime': 'kubernetes' needs a cluster",
    ],
    [
      {
        kubernetes: { clusters: [cluster] },
        components: { x: { runtime: 'kubernetes', cluster: 'prod' } },
      },
      "'runner.components.x.cluster': unknown cluster 'prod'; use one of test",
    ],
    [
      {
        kubernetes: { clusters: [cluster] },
        components: { x: { runtime: 'kubernetes', namespace: 'default' } },
      },
      "'runner.components.x.namespace': namespace 'default' is not allowed on cluster 'test'",
    ],
    [
      {
        runtime: 'kubernetes',
        kubernetes: { clusters: [{ ...cluster, registry: undefined }] },
      },
      "'runner.kubernetes.clusters[0]': cluster 'test' runs components, so it needs 'namespaces' (at least one) and 'registry.host'",
    ],
    [
      { kubernetes: { clusters: [{ ...cluster, namespaces: ['Team_A'] }] } },
      "'runner.kubernetes.clusters[0].namespaces': 'Team_A' is not a Kubernetes namespace name",
    ],
    [
      { components: { x: { replicas: 0 } } },
      "'runner.components.x.replicas': '0'; use a whole number from 1 to 50",
    ],
  ])('refuses %j at start-up naming the key', (runner, message) => {
    expect(() => settings(runner)).toThrow(message);
  });

  it('lets runner.components carry the placement keys next to docker/build/run', () => {
    const runner = new ConfigReader({
      components: {
        'hello-http': { runtime: 'docker', run: { healthPath: '/healthz' } },
      },
    });
    expect(readComponentOverrides(runner)[0].run.healthPath).toBe('/healthz');
    expect(() =>
      readComponentOverrides(
        new ConfigReader({ components: { x: { rntime: 'docker' } } }),
      ),
    ).toThrow("'runner.components.x.rntime': unknown key");
  });
});
