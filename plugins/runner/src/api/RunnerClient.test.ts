import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { RunnerHealthReport } from '@internal/plugin-runner-common';
import { RunnerClient } from './RunnerClient';

const report: RunnerHealthReport = {
  status: 'ok',
  docker: {
    reachable: true,
    version: '27.3.1',
    endpoint: 'unix:///var/run/docker.sock',
  },
  kubernetes: { configured: false, clusters: [] },
  checkedAt: '2025-01-01T00:00:00.000Z',
};

function setup(response: Response) {
  const discoveryApi: jest.Mocked<DiscoveryApi> = {
    getBaseUrl: jest.fn().mockResolvedValue('http://backend:7007/api/runner'),
  };
  const fetchApi: jest.Mocked<FetchApi> = {
    fetch: jest.fn().mockResolvedValue(response),
  };
  return {
    discoveryApi,
    fetchApi,
    client: new RunnerClient({ discoveryApi, fetchApi }),
  };
}

describe('RunnerClient', () => {
  it('fetches the health report from the runner backend', async () => {
    const { client, discoveryApi, fetchApi } = setup(
      new Response(JSON.stringify(report), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    );

    await expect(client.getHealth()).resolves.toEqual(report);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('runner');
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backend:7007/api/runner/health',
    );
  });

  it('throws a ResponseError carrying the backend error on non-OK responses', async () => {
    const { client } = setup(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'Not allowed' },
          request: { method: 'GET', url: '/api/runner/health' },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );

    const error = await client.getHealth().catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe('Not allowed');
  });

  it('throws a ResponseError when the body is not a Backstage error', async () => {
    const { client } = setup(
      new Response('upstream gone', { status: 502, statusText: 'Bad Gateway' }),
    );

    const error = await client.getHealth().catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(502);
  });
});
