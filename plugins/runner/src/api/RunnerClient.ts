import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Alert,
  GatewayApplyResult,
  GatewayBundleList,
  GatewayBundleType,
  GatewayBundleView,
  GatewayClustersResponse,
  GatewayDiffResponse,
  GatewayRevision,
  GatewayValidateResponse,
  ErrorEventPage,
  InstanceEvent,
  InstanceHealth,
  InstanceMetrics,
  RunnerHealthReport,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { RunnerApi } from './RunnerApi';
import type {
  AlertsQuery,
  EffectiveConfig,
  ErrorsQuery,
  FollowLogsOptions,
  GatewayProposal,
  GatewayTemplate,
  GatewayTemplateSummary,
  GatewayUpdateRequest,
  GetLogsOptions,
  InstanceErrorsQuery,
  MetricsQuery,
} from './types';
import { createLineSplitter } from './lineSplitter';
import {
  bundlePath,
  entityPath,
  errorFilters,
  fullRef,
  gatewayPath,
  instancePath,
  jsonBody,
  logsPath,
  queryString,
} from './paths';

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return (
    Boolean(signal?.aborted) ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

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
    return this.json<RunnerHealthReport>('/health');
  }

  async listInstances(entityRef: string): Promise<RunnerInstance[]> {
    const body = await this.json<{ items: RunnerInstance[] }>(
      `${entityPath(entityRef)}/instances`,
    );
    return body.items;
  }

  async startInstance(entityRef: string): Promise<RunnerInstance> {
    return this.json<RunnerInstance>(`${entityPath(entityRef)}/instances`, {
      method: 'POST',
    });
  }

  async stopInstance(id: string): Promise<RunnerInstance> {
    return this.json<RunnerInstance>(`${instancePath(id)}/stop`, {
      method: 'POST',
    });
  }

  async restartInstance(id: string): Promise<RunnerInstance> {
    return this.json<RunnerInstance>(`${instancePath(id)}/restart`, {
      method: 'POST',
    });
  }

  async removeInstance(id: string): Promise<void> {
    await this.request(instancePath(id), { method: 'DELETE' });
  }

  async getInstanceEvents(id: string): Promise<InstanceEvent[]> {
    const body = await this.json<{ items: InstanceEvent[] }>(
      `${instancePath(id)}/events`,
    );
    return body.items;
  }

  async getEffectiveConfig(entityRef: string): Promise<EffectiveConfig> {
    return this.json<EffectiveConfig>(
      `${entityPath(entityRef)}/effective-config`,
    );
  }

  async getLogs(id: string, options: GetLogsOptions): Promise<string> {
    const response = await this.request(
      logsPath(id, options.stream, options.tail),
    );
    return response.text();
  }

  async followLogs(id: string, options: FollowLogsOptions): Promise<void> {
    const { signal, onLine } = options;
    const splitter = createLineSplitter(onLine);
    let response: Response;
    try {
      response = await this.request(
        logsPath(id, options.stream, options.tail, true),
        { signal },
      );
    } catch (error) {
      if (isAbort(error, signal)) return;
      throw error;
    }
    options.onOpen?.();

    // Some fetch implementations have no streaming body; the whole text is
    // still better than nothing.
    if (!response.body) {
      splitter.push(await response.text());
      splitter.flush();
      return;
    }

    const reader = response.body.getReader();
    // Not every fetch stops reading the body when the request is aborted;
    // cancelling the reader makes sure the stream (and the socket) ends.
    const cancel = () => {
      reader.cancel().catch(() => undefined);
    };
    signal?.addEventListener('abort', cancel);
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || signal?.aborted) break;
        splitter.push(decoder.decode(value, { stream: true }));
      }
      if (!signal?.aborted) {
        splitter.push(decoder.decode());
        splitter.flush();
      }
    } catch (error) {
      if (!isAbort(error, signal)) throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      reader.releaseLock();
    }
  }

  async getInstanceMetrics(
    id: string,
    query: MetricsQuery,
  ): Promise<InstanceMetrics> {
    return this.json<InstanceMetrics>(
      `${instancePath(id)}/metrics${queryString({
        from: query.from,
        to: query.to,
        step: query.step,
      })}`,
    );
  }

  async getInstanceHealth(id: string): Promise<InstanceHealth> {
    return this.json<InstanceHealth>(`${instancePath(id)}/health`);
  }

  async listErrors(query: ErrorsQuery): Promise<ErrorEventPage> {
    const { entityRef, ...filters } = query;
    return this.json<ErrorEventPage>(
      `/errors${queryString({
        entityRef: entityRef === undefined ? undefined : fullRef(entityRef),
        ...errorFilters(filters),
      })}`,
    );
  }

  async listInstanceErrors(
    id: string,
    query: InstanceErrorsQuery = {},
  ): Promise<ErrorEventPage> {
    return this.json<ErrorEventPage>(
      `${instancePath(id)}/errors${queryString(errorFilters(query))}`,
    );
  }

  async listAlerts(query: AlertsQuery): Promise<Alert[]> {
    const body = await this.json<{ items: Alert[] }>(
      `/alerts${queryString({
        entityRef: fullRef(query.entityRef),
        state: query.state,
        limit: query.limit,
      })}`,
    );
    return body.items;
  }

  async acknowledgeAlert(id: string): Promise<Alert> {
    return this.json<Alert>(`/alerts/${encodeURIComponent(id)}/acknowledge`, {
      method: 'POST',
    });
  }

  async getGatewayClusters(): Promise<GatewayClustersResponse> {
    return this.json<GatewayClustersResponse>('/gateway/clusters');
  }

  async listGatewayTemplates(): Promise<GatewayTemplateSummary[]> {
    const body = await this.json<{ items: GatewayTemplateSummary[] }>(
      '/gateway/templates',
    );
    return body.items;
  }

  async getGatewayTemplate(id: string): Promise<GatewayTemplate> {
    return this.json<GatewayTemplate>(
      `/gateway/templates/${encodeURIComponent(id)}`,
    );
  }

  async listGatewayBundles(
    entityRef: string,
    type: GatewayBundleType,
  ): Promise<GatewayBundleList> {
    return this.json<GatewayBundleList>(bundlePath(entityRef, type));
  }

  async getGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
  ): Promise<GatewayBundleView> {
    return this.json<GatewayBundleView>(bundlePath(entityRef, type, name));
  }

  async createGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    input: Record<string, unknown>,
  ): Promise<GatewayApplyResult> {
    return this.json(bundlePath(entityRef, type), jsonBody('POST', input));
  }

  async updateGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
    request: GatewayUpdateRequest,
  ): Promise<GatewayApplyResult> {
    return this.json(
      bundlePath(entityRef, type, name),
      jsonBody('PUT', request),
    );
  }

  async deleteGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
  ): Promise<void> {
    await this.request(bundlePath(entityRef, type, name), {
      method: 'DELETE',
    });
  }

  async validateGatewayProposal(
    entityRef: string,
    proposal: GatewayProposal,
  ): Promise<GatewayValidateResponse> {
    return this.json(
      gatewayPath(entityRef, '/validate'),
      jsonBody('POST', proposal),
    );
  }

  async diffGatewayProposal(
    entityRef: string,
    proposal: GatewayProposal,
  ): Promise<GatewayDiffResponse> {
    return this.json(
      gatewayPath(entityRef, '/diff'),
      jsonBody('POST', proposal),
    );
  }

  async exportGatewayYaml(entityRef: string, bundle?: string): Promise<string> {
    const response = await this.request(
      gatewayPath(entityRef, `/export${queryString({ bundle })}`),
    );
    return response.text();
  }

  async exportGatewayProposal(
    entityRef: string,
    proposal: GatewayProposal,
  ): Promise<string> {
    const response = await this.fetch(
      gatewayPath(entityRef, '/export'),
      jsonBody('POST', proposal),
    );
    if (response.status === 422) {
      // Its findings come at the top level, beside `error`; moved into
      // `error.findings` as every other 422 has them.
      const body = await response.json().catch(() => ({}));
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { ...body.error, findings: body.findings ?? [] },
            response: { statusCode: 422 },
          }),
          { status: 422, headers: { 'Content-Type': 'application/json' } },
        ),
      );
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.text();
  }

  async importGatewayYaml(
    entityRef: string,
    yaml: string,
    bundle?: string,
  ): Promise<GatewayApplyResult[]> {
    const body = await this.json<{ items: GatewayApplyResult[] }>(
      gatewayPath(entityRef, `/import${queryString({ bundle })}`),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/yaml' },
        body: yaml,
      },
    );
    return body.items;
  }

  async listGatewayRevisions(
    entityRef: string,
    bundle?: string,
  ): Promise<GatewayRevision[]> {
    const body = await this.json<{ items: GatewayRevision[] }>(
      gatewayPath(entityRef, `/revisions${queryString({ bundle })}`),
    );
    return body.items;
  }

  async rollbackGatewayBundle(
    entityRef: string,
    type: GatewayBundleType,
    name: string,
  ): Promise<GatewayApplyResult> {
    return this.json(
      gatewayPath(entityRef, '/rollback'),
      jsonBody('POST', { type, name }),
    );
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const response = await this.fetch(path, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    // Resolved per call: discovery may move the backend between requests.
    const baseUrl = await this.discoveryApi.getBaseUrl('runner');
    // fetchApi, not global fetch, so that the user's Backstage token is sent.
    const url = `${baseUrl}${path}`;
    // A plain GET passes no init at all, so that fetch mocks and middleware
    // see exactly what a bare fetch(url) would.
    return init ? this.fetchApi.fetch(url, init) : this.fetchApi.fetch(url);
  }
}
