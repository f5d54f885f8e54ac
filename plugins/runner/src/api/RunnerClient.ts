import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { RunnerHealthReport } from '@internal/plugin-runner-common';
import type { RunnerApi } from './RunnerApi';

/**
 * {@link RunnerApi} over HTTP against the `runner` backend plugin.
 *
 * @public
 */
export class RunnerClient implements RunnerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<RunnerHealthReport> {
    return this.get<RunnerHealthReport>('/health');
  }

  private async get<T>(path: string): Promise<T> {
    // Resolved per call: discovery may move the backend between requests.
    const baseUrl = await this.discoveryApi.getBaseUrl('runner');
    // fetchApi, not global fetch, so that the user's Backstage token is sent.
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
