import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { runnerPlugin } from './plugin';

/*
 * Integration test against the real Docker engine that scripts/bootstrap.sh
 * starts (DOCKER_HOST), through the real plugin wiring.
 */
describe('GET /api/runner/health', () => {
  it('reports the real Docker engine as reachable, unauthenticated', async () => {
    const { server } = await startTestBackend({ features: [runnerPlugin] });
    const res = await request(server).get('/api/runner/health');
    expect(res.status).toBe(200);
    expect(res.body.docker).toMatchObject({ reachable: true });
    expect(res.body.docker.version).toMatch(/^\d+\.\d+/);
    expect(res.body.kubernetes).toEqual({ configured: false, clusters: [] });
    expect(res.body.status).toBe('ok');
  });

  it('reports an unreachable engine and cluster with the reason, as degraded', async () => {
    const { server } = await startTestBackend({
      features: [
        runnerPlugin,
        mockServices.rootConfig.factory({
          data: {
            runner: {
              docker: {
                host: 'unix:///nonexistent/docker.sock',
                connectionTimeout: '1s',
              },
              kubernetes: {
                clusters: [
                  {
                    name: 'gone',
                    url: 'http://127.0.0.1:9',
                    auth: {
                      type: 'serviceAccount',
                      token: 'secret-token-value',
                    },
                    connectionTimeout: '1s',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const res = await request(server).get('/api/runner/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.docker).toMatchObject({
      reachable: false,
      endpoint: 'unix:///nonexistent/docker.sock',
    });
    expect(res.body.docker.reason).toContain(
      'no Docker socket at unix:///nonexistent/docker.sock',
    );
    expect(res.body.kubernetes.configured).toBe(true);
    expect(res.body.kubernetes.clusters[0]).toMatchObject({
      name: 'gone',
      reachable: false,
    });
    expect(JSON.stringify(res.body)).not.toContain('secret-token-value');
  });

  it('fails start-up with a message naming the bad config key', async () => {
    await expect(
      startTestBackend({
        features: [
          runnerPlugin,
          mockServices.rootConfig.factory({
            data: { runner: { docker: { host: 'localhost:2375' } } },
          }),
        ],
      }),
    ).rejects.toThrow('runner.docker.host');
  });
});
