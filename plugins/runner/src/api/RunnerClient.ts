import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  Alert,
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
  GetLogsOptions,
  InstanceErrorsQuery,
  LogTail,
  MetricsQuery,
  QueryTime,
} from './types';
import { createLineSplitter } from './lineSplitter';

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
    return this.json<Alert>(
      `/alerts/${encodeURIComponent(id)}/acknowledge`,
      { method: 'POST' },
    );
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    // Resolved per call: discovery may move the backend between requests.
    const baseUrl = await this.discoveryApi.getBaseUrl('runner');
    // fetchApi, not global fetch, so that the user's Backstage token is sent.
    const url = `${baseUrl}${path}`;
    // A plain GET passes no init at all, so that fetch mocks and middleware
    // see exactly what a bare fetch(url) would.
    const response = init
      ? await this.fetchApi.fetch(url, init)
      : await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${[kind.toLocaleLowerCase('en-US'), namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * The canonical full ref (`component:hello` → `component:default/hello`):
 * the alerts route refuses anything less, and the error history stores refs
 * in this form.
 */
function fullRef(entityRef: string): string {
  return stringifyEntityRef(parseEntityRef(entityRef));
}

/** Only the parameters the error routes know: they refuse any other with a 400. */
function errorFilters(query: InstanceErrorsQuery): QueryParams {
  return {
    category: query.category,
    severity: query.severity,
    code: query.code,
    from: query.from,
    to: query.to,
    limit: query.limit,
    cursor: query.cursor,
  };
}

type QueryParams = Record<string, QueryTime | number | undefined>;

/**
 * `?a=1&b=2` from the defined parameters (`''` when none). Dates go as ISO
 * 8601 in UTC: the backend requires times with a zone.
 */
function queryString(params: QueryParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    query.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

function instancePath(id: string): string {
  return `/instances/${encodeURIComponent(id)}`;
}

function logsPath(
  id: string,
  stream: string,
  tail?: LogTail,
  follow?: boolean,
): string {
  const query = new URLSearchParams({ stream });
  if (tail !== undefined) query.set('tail', String(tail));
  if (follow) query.set('follow', 'true');
  return `${instancePath(id)}/logs?${query}`;
}
