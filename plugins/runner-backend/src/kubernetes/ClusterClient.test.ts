import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClusterClient } from './ClusterClient';
import type { ClusterConfig } from '../config/RunnerConfig';

/*
 * A stand-in for a Kubernetes API server: no API server can run on these
 * machines. It answers only GET /version, which is all a health check asks.
 */
function startFakeApiServer(token: string) {
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          status: 'Failure',
          reason: 'Unauthorized',
          code: 401,
        }),
      );
      return;
    }
    if (req.url === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.1' }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise<http.Server>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

function cluster(url: string, token: string, timeoutMs = 2000): ClusterConfig {
  return {
    name: 'test',
    url,
    auth: { type: 'serviceAccount', token },
    // client-node refuses plain HTTP unless TLS verification is off.
    skipTLSVerify: true,
    connectionTimeoutMs: timeoutMs,
  };
}

describe('ClusterClient.health', () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = await startFakeApiServer('good-token');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('reports the version of a reachable API server', async () => {
    await expect(
      new ClusterClient(cluster(url, 'good-token')).health(),
    ).resolves.toEqual({
      name: 'test',
      url,
      reachable: true,
      version: 'v1.34.1',
    });
  });

  it('says when the credentials are refused, without the token', async () => {
    const health = await new ClusterClient(cluster(url, 'bad-token')).health();
    expect(health.reachable).toBe(false);
    expect(health.reason).toMatch(/401|credentials/);
    expect(JSON.stringify(health)).not.toContain('bad-token');
  });

  it('says when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const health = await new ClusterClient(
      cluster(`http://127.0.0.1:${port}`, 'x'),
    ).health();
    expect(health).toMatchObject({ reachable: false });
    expect(health.reason).toContain('refused');
  });

  it('gives up after its timeout', async () => {
    const silent = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${
      (silent.address() as AddressInfo).port
    }`;
    try {
      const health = await new ClusterClient(
        cluster(silentUrl, 'x', 300),
      ).health();
      expect(health.reachable).toBe(false);
      expect(health.reason).toContain('did not answer within 300 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise(resolve => silent.close(resolve));
    }
  });

  it('reports a kubeconfig that cannot be loaded instead of failing', async () => {
    const client = new ClusterClient({
      name: 'broken',
      auth: { type: 'kubeconfig', kubeconfigPath: '/nonexistent/kubeconfig' },
      skipTLSVerify: false,
      connectionTimeoutMs: 1000,
    });
    const health = await client.health();
    expect(health.reachable).toBe(false);
    expect(health.reason).toContain(
      "cannot load the credentials of cluster 'broken'",
    );
  });
});
