import { ConfigReader } from '@backstage/config';
import { readRunnerConfig } from './RunnerConfig';

function read(runner: unknown) {
  return readRunnerConfig(new ConfigReader({ runner } as any));
}

describe('readRunnerConfig', () => {
  it('has embedded defaults: default Docker endpoint, 5 s timeout, no clusters', () => {
    expect(readRunnerConfig(new ConfigReader({}))).toEqual({
      docker: { host: undefined, connectionTimeoutMs: 5000 },
      dockerDefaults: {
        connectionTimeoutMs: 5000,
        buildTimeoutMs: 600_000,
        runTimeoutMs: undefined,
        resourceLimits: {
          memoryBytes: 512 * 1024 * 1024,
          nanoCpus: 1e9,
          pidsLimit: 256,
        },
        securityOptions: [],
        readOnlyRootfs: false,
        imageCleanupPolicy: 'on-error',
        maxInstancesPerEntity: 1,
        maxContextBytes: 200 * 1024 * 1024,
        logRotation: {
          driver: 'json-file',
          maxSizeBytes: 10 * 1024 * 1024,
          maxFiles: 3,
        },
        imageRetention: { keep: 3 },
        env: {},
        secretEnv: {},
      },
      pruneSchedule: { intervalMs: 3_600_000, buildCache: true },
      components: [],
      sources: { allowedLocalRoots: [] },
      kubernetes: { clusters: [], defaultCluster: undefined },
    });
  });

  it('reads durations as milliseconds, short strings or ISO 8601', () => {
    expect(
      read({ docker: { connectionTimeout: 250 } }).docker.connectionTimeoutMs,
    ).toBe(250);
    expect(
      read({ docker: { connectionTimeout: '2s' } }).docker.connectionTimeoutMs,
    ).toBe(2000);
    expect(
      read({ docker: { connectionTimeout: 'PT1M' } }).docker
        .connectionTimeoutMs,
    ).toBe(60000);
  });

  it('reads clusters and picks the first as default', () => {
    const config = read({
      kubernetes: {
        clusters: [
          {
            name: 'dev',
            url: 'https://127.0.0.1:6443',
            auth: { type: 'serviceAccount', token: 't' },
          },
          { name: 'local', auth: { type: 'kubeconfig', context: 'kind' } },
        ],
      },
    });
    expect(config.kubernetes.defaultCluster).toBe('dev');
    expect(config.kubernetes.clusters[1]).toMatchObject({
      name: 'local',
      auth: { type: 'kubeconfig', context: 'kind' },
      skipTLSVerify: false,
    });
  });

  it.each([
    [{ docker: { host: '/var/run/docker.sock' } }, "'runner.docker.host'"],
    [
      { docker: { connectionTimeout: 'soon' } },
      "'runner.docker.connectionTimeout'",
    ],
    [
      { docker: { connectionTimeout: -1 } },
      "'runner.docker.connectionTimeout'",
    ],
    [
      { kubernetes: { clusters: [{ name: 'Prod EU', url: 'https://x' }] } },
      "'runner.kubernetes.clusters[0].name'",
    ],
    [
      { kubernetes: { clusters: [{ name: 'a', url: 'https://x' }] } },
      "'runner.kubernetes.clusters[0].auth.token'",
    ],
    [
      {
        kubernetes: {
          clusters: [
            { name: 'a', auth: { type: 'serviceAccount', token: 't' } },
          ],
        },
      },
      "'runner.kubernetes.clusters[0].url'",
    ],
    [
      {
        kubernetes: {
          clusters: [
            { name: 'a', url: 'ftp://x', auth: { type: 'inCluster' } },
          ],
        },
      },
      "'runner.kubernetes.clusters[0].url'",
    ],
    [
      { kubernetes: { clusters: [{ name: 'a', auth: { type: 'magic' } }] } },
      "'runner.kubernetes.clusters[0].auth.type'",
    ],
    [
      {
        kubernetes: {
          clusters: [
            { name: 'a', auth: { type: 'inCluster' } },
            { name: 'a', auth: { type: 'inCluster' } },
          ],
        },
      },
      "'runner.kubernetes.clusters[1].name'",
    ],
    [
      {
        kubernetes: {
          clusters: [{ name: 'a', auth: { type: 'inCluster' } }],
          defaultCluster: 'b',
        },
      },
      "'runner.kubernetes.defaultCluster'",
    ],
  ])('rejects %j naming %s', (runner, key) => {
    expect(() => read(runner)).toThrow(key);
  });

  it('never puts a token in an error message', () => {
    expect(() =>
      read({
        kubernetes: {
          clusters: [
            {
              name: 'a',
              auth: { type: 'serviceAccount', token: 's3cr3t-token' },
            },
          ],
        },
      }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('s3cr3t-token'),
      }),
    );
  });
});
