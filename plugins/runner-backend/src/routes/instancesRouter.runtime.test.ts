import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { runnerPlugin } from '../plugin';
import { exampleEntities } from '../__testUtils__/exampleEntities';

/*
 * Which runtime runs a component, through the real plugin: the
 * effective-config view says which and why, a placement naming an unknown
 * cluster or namespace stops start-up naming the key, and an annotation
 * naming a forbidden namespace is a 400 naming the annotation.
 */

const cluster = {
  name: 'test',
  url: 'http://127.0.0.1:9',
  auth: { type: 'serviceAccount', token: 'never-sent' },
  connectionTimeout: '1s',
  namespaces: ['apps', 'team-a'],
  registry: { host: '127.0.0.1:5001' },
};

function entities(): Entity[] {
  const examples = exampleEntities();
  const hello = examples.find(e => e.metadata.name === 'hello-http')!;
  const forbidden: Entity = {
    ...hello,
    metadata: {
      ...hello.metadata,
      name: 'forbidden-ns',
      annotations: {
        ...hello.metadata.annotations,
        'runner.backstage.io/kubernetes-namespace': 'kube-system',
      },
    },
  };
  return [...examples, forbidden];
}

function backend(runner: object) {
  return startTestBackend({
    features: [
      runnerPlugin,
      mockServices.rootConfig.factory({ data: { runner } }),
      catalogServiceMock.factory({ entities: entities() }),
    ],
  });
}

const base = '/api/runner/entities/component/default';

describe('runtime choice through the REST API', () => {
  it('shows docker as the default, and a component on Kubernetes with its placement', async () => {
    const { server } = await backend({
      kubernetes: { clusters: [cluster] },
      components: {
        'forbidden-ns': { runtime: 'kubernetes' },
        'hello-http': {
          runtime: 'kubernetes',
          namespace: 'team-a',
          replicas: 2,
        },
      },
    });
    const hello = await request(server).get(
      `${base}/hello-http/effective-config`,
    );
    expect(hello.status).toBe(200);
    expect(hello.body.runtime).toEqual({
      runtime: 'kubernetes',
      placement: { cluster: 'test', namespace: 'team-a' },
      replicas: 2,
      reason:
        "runner.components.hello-http.runtime is 'kubernetes'; cluster 'test', namespace 'team-a' (runner.components.hello-http.namespace)",
    });
    // The Docker view is unchanged beside it.
    expect(hello.body.docker.resourceLimits).toBeDefined();

    const docker = await request(server).get(
      `${base}/broken-build/effective-config`,
    );
    expect(docker.status).toBe(200);
    expect(docker.body.runtime).toEqual({
      runtime: 'docker',
      replicas: 1,
      reason: "runner.runtime is 'docker' (the default)",
    });

    const forbidden = await request(server).get(
      `${base}/forbidden-ns/effective-config`,
    );
    expect(forbidden.status).toBe(400);
    expect(forbidden.body.error.message).toContain(
      "Invalid annotation 'runner.backstage.io/kubernetes-namespace': namespace 'kube-system' is not allowed on cluster 'test'; use one of apps, team-a",
    );
    expect(JSON.stringify(forbidden.body)).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      { 'hello-http': { runtime: 'kubernetes', cluster: 'prod' } },
      'runner.components.hello-http.cluster',
    ],
    [
      { 'hello-http': { runtime: 'kubernetes', namespace: 'default' } },
      'runner.components.hello-http.namespace',
    ],
  ])('fails start-up naming the key for %j', async (components, key) => {
    await expect(
      backend({ kubernetes: { clusters: [cluster] }, components }),
    ).rejects.toThrow(`Invalid config at '${key}'`);
  });
});
