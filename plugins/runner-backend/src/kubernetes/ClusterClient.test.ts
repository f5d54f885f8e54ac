import { ClusterClient } from './ClusterClient';
import { freePort } from './__testUtils__/apiServerProcess';
import { startTcpProxy } from './__testUtils__/tcpProxy';
import {
  apiServer,
  clusterConfigWithToken,
  createTestNamespace,
  describeWithCluster,
  serviceAccountWithRules,
} from './__testUtils__/testCluster';

/*
 * A cluster's health as the health route reports it, against the real API
 * server: its version for a good token, a refusal for a bad one (never
 * echoing it), a port where nothing listens, an API server that stops
 * answering (a stalled TCP proxy in between), and a kubeconfig that cannot
 * be loaded.
 */

jest.setTimeout(60_000);

describeWithCluster('ClusterClient.health', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let token: string;

  beforeAll(async () => {
    ns = await createTestNamespace('health');
    // /version needs no rule: every authenticated identity may read it.
    token = (await serviceAccountWithRules({ namespace: ns.name, rules: [] }))
      .token;
  });
  afterAll(() => ns.remove());

  it('reports the version of a reachable API server', async () => {
    await expect(
      new ClusterClient(clusterConfigWithToken(token)).health(),
    ).resolves.toEqual({
      name: 'test',
      url: apiServer().url,
      reachable: true,
      version: 'v1.35.4',
    });
  });

  it('says when the credentials are refused, without the token', async () => {
    const bad = 'not-a-token-0123456789';
    const health = await new ClusterClient(
      clusterConfigWithToken(bad),
    ).health();
    expect(health.reachable).toBe(false);
    expect(health.reason).toContain('refused the credentials (HTTP 401)');
    expect(JSON.stringify(health)).not.toContain(bad);
  });

  it('says when nothing listens', async () => {
    const health = await new ClusterClient({
      ...clusterConfigWithToken(token),
      url: `https://127.0.0.1:${await freePort()}`,
    }).health();
    expect(health).toMatchObject({ reachable: false });
    expect(health.reason).toContain('refused');
  });

  it('gives up after its timeout when the API server stops answering', async () => {
    const { hostname, port } = new URL(apiServer().url);
    const proxy = await startTcpProxy({ host: hostname, port: Number(port) });
    proxy.stall();
    try {
      const health = await new ClusterClient({
        ...clusterConfigWithToken(token),
        url: proxy.url,
        connectionTimeoutMs: 300,
      }).health();
      expect(health.reachable).toBe(false);
      expect(health.reason).toContain('did not answer within 300 ms');
    } finally {
      await proxy.close();
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
