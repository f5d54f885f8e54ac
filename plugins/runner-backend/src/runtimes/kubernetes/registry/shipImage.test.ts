import net from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { mockServices } from '@backstage/backend-test-utils';
import { isRuntimeError } from '@internal/plugin-runner-node';
import { KubernetesRuntime } from '../KubernetesRuntime';
import {
  docker,
  exampleSource,
  testBuilder,
} from '../__testUtils__/imageBuilder';
import { DockerEnginePusher } from './DockerEnginePusher';

/*
 * A registry that does not answer: prepare() fails as REGISTRY_UNREACHABLE
 * naming the registry and the cluster, after the real build and before any
 * object is created. The cluster itself is never contacted.
 */

jest.setTimeout(120_000);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('shipImage', () => {
  it('reports a registry that does not answer as REGISTRY_UNREACHABLE with its remediation', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'far', server: 'https://127.0.0.1:1' }],
      users: [{ name: 'far', token: 'unused' }],
      contexts: [{ name: 'far', cluster: 'far', user: 'far' }],
      currentContext: 'far',
    });
    const host = `127.0.0.1:${await closedPort()}`;
    const runtime = new KubernetesRuntime({
      clusters: [
        { name: 'far', kubeConfig, namespaces: ['team-a'], registry: { host } },
      ],
      builder: testBuilder,
      pusher: new DockerEnginePusher(docker),
      logger: mockServices.logger.mock(),
    });
    const error = await runtime
      .prepare(exampleSource('hello-http'), {
        build: { dockerfile: 'Dockerfile', buildArgs: {}, timeoutMs: 60_000 },
      })
      .catch(e => e);
    expect(isRuntimeError(error)).toBe(true);
    expect(error.failure).toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
      category: 'image',
      recoverable: true,
    });
    expect(error.failure.detail).toContain(
      `http://${host}/v2/backstage-runner/hello-http/manifests/`,
    );
    expect(error.failure.detail).toContain('ECONNREFUSED');
    expect(error.failure.remediation).toContain(
      `\`${host}\` of cluster \`far\``,
    );
    await runtime.close();
  });
});
